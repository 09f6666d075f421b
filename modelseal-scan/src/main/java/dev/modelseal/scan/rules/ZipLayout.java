package dev.modelseal.scan.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Where a zip's members lie in the file, read from its central directory by Commons Compress: which
 * members share or overlap the bytes of an earlier member (a zip built so that thousands of names
 * decompress the same data, or to be read two ways) and which are encrypted. It reads headers only,
 * never member data.
 */
final class ZipLayout {
  /** One central-directory entry, in central-directory order. */
  record Entry(int index, String name, long localHeader, long end, boolean encrypted) {}

  private final List<Entry> entries;
  private final boolean[] overlapping;

  private ZipLayout(List<Entry> entries, boolean[] overlapping) {
    this.entries = entries;
    this.overlapping = overlapping;
  }

  /**
   * The layout of {@code file}, or null when Commons Compress cannot read its central directory
   * (the caller's own reader then decides) or it has more than {@code maxMembers} entries.
   */
  static ZipLayout read(Path file, int maxMembers) {
    List<Entry> list = new ArrayList<>();
    try (ZipFile zip = ZipFile.builder().setPath(file).setIgnoreLocalFileHeader(true).get()) {
      int i = 0;
      for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); i++) {
        if (i >= maxMembers) {
          return null;
        }
        ZipArchiveEntry e = en.nextElement();
        // The local header's extra field is not read (one seek per member): the data is taken to
        // start right after the name, so an overlap shorter than that extra field is not seen.
        long local = e.getLocalHeaderOffset();
        long nameLength = e.getRawName() == null ? 0 : e.getRawName().length;
        long end = local + 30 + nameLength + Math.max(0, e.getCompressedSize());
        list.add(new Entry(i, e.getName(), local, end, e.getGeneralPurposeBit().usesEncryption()));
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    boolean[] overlapping = new boolean[list.size()];
    List<Entry> physical = new ArrayList<>(list);
    physical.sort(Comparator.comparingLong(Entry::localHeader).thenComparingInt(Entry::index));
    long reach = -1;
    for (Entry e : physical) {
      if (e.localHeader() < reach) {
        overlapping[e.index()] = true;
      }
      reach = Math.max(reach, e.end());
    }
    return new ZipLayout(List.copyOf(list), overlapping);
  }

  /** The entries in central-directory order. */
  List<Entry> entries() {
    return entries;
  }

  /** True when entry {@code index} starts inside the bytes of a member that lies before it. */
  boolean overlaps(int index) {
    return overlapping[index];
  }

  /** How many entries overlap an earlier member. */
  int overlapCount() {
    int n = 0;
    for (boolean b : overlapping) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** True when some member is encrypted. */
  boolean anyEncrypted() {
    return entries.stream().anyMatch(Entry::encrypted);
  }
}
