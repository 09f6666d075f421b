package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.ScanLimitException;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.TensorBundleNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Zip archives of any kind (PyTorch and TorchScript archives, .npz, .keras, nested zips): every
 * member is routed by its content, whatever its name, so a pickle in {@code archive/data.pkl}, in
 * {@code constants.pkl} or in a member named {@code weights} is found. Members of a PyTorch
 * archive's storage folders ({@link TorchArchive}) and a tensor bundle's data shards beside their
 * index are tensor data: routed too, but not reported when they are no recognised format. Pickle
 * globals naming a module of a TorchScript archive's own code are its TorchScript classes. Rule
 * ids: {@code torch-package.source} (high: Python modules a torch.package archive carries, which
 * its importer runs), {@code zip.malformed} (high: loaders with other zip readers may still open
 * it), {@code zip.duplicate-member} (high), {@code zip.overlapping-members} (high: members that
 * start inside another member's bytes are not read, so a small zip whose thousands of names point
 * at one large member costs one decompression), {@code zip.encrypted-member} (medium: the other
 * members are still scanned).
 */
public final class ZipRule implements FormatRule {
  @Override
  public String format() {
    return "zip";
  }

  @Override
  public boolean claims(Content c) {
    return c.headByte(0) == 'P'
        && c.headByte(1) == 'K'
        && ((c.headByte(2) == 3 && c.headByte(3) == 4)
            || (c.headByte(2) == 5 && c.headByte(3) == 6));
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    ZipLayout layout = ZipLayout.read(file, ctx.limits().members());
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      if (layout != null && layout.anyEncrypted()) {
        scanWithEncryptedMembers(c, ctx, file, layout);
        return;
      }
      ctx.finding(
          c,
          "zip.malformed",
          Severity.HIGH,
          "",
          "zip archive cannot be read ("
              + e.getMessage()
              + "); loaders with another zip reader may still open it; members not scanned");
      return;
    }
    try (zip) {
      List<Member> members = new ArrayList<>();
      int count = 0;
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (++count > ctx.limits().members()) {
          throw new ScanLimitException("zip has more than " + ctx.limits().members() + " members");
        }
        members.add(
            new Member(e.getName(), e.getSize(), e.isDirectory(), false, () -> open(zip, e)));
      }
      scanMembers(c, ctx, members, layout);
    }
  }

  /**
   * Java's reader refuses a zip with an encrypted member; Commons Compress reads the others, and
   * each encrypted member is reported: nothing can say what it holds without the password.
   */
  private void scanWithEncryptedMembers(Content c, ScanContext ctx, Path file, ZipLayout layout)
      throws IOException {
    try (org.apache.commons.compress.archivers.zip.ZipFile zip =
        org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(file).get()) {
      List<Member> members = new ArrayList<>();
      for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
        ZipArchiveEntry e = en.nextElement();
        boolean encrypted = e.getGeneralPurposeBit().usesEncryption();
        members.add(
            new Member(
                e.getName(),
                e.getSize(),
                e.isDirectory(),
                encrypted || !zip.canReadEntryData(e),
                () -> zip.getInputStream(e)));
      }
      if (members.size() != layout.entries().size()) {
        throw new IOException("the zip's central directory reads differently the second time");
      }
      scanMembers(c, ctx, members, layout);
    }
  }

  private void scanMembers(Content c, ScanContext ctx, List<Member> members, ZipLayout layout)
      throws IOException {
    boolean useLayout = layout != null && layout.entries().size() == members.size();
    Set<String> names = new HashSet<>();
    for (Member m : members) {
      if (!names.add(m.name())) {
        ctx.finding(
            c,
            "zip.duplicate-member",
            Severity.HIGH,
            member(m.name()),
            "zip names this member twice; readers disagree on which copy they load");
      }
    }
    TorchArchive torch = TorchArchive.of(names);
    List<String> sources = torch.packagedSources();
    if (!sources.isEmpty()) {
      ctx.finding(
          c,
          "torch-package.source",
          Severity.HIGH,
          member(sources.get(0)),
          "a torch.package archive with "
              + sources.size()
              + " packaged Python module(s)"
              + (sources.size() > 1 ? " (this is the first)" : "")
              + ": torch.package.PackageImporter imports and runs them when it loads the"
              + " archive's objects");
    }
    if (useLayout && layout.overlapCount() > 0) {
      int first = 0;
      while (!layout.overlaps(first)) {
        first++;
      }
      ctx.finding(
          c,
          "zip.overlapping-members",
          Severity.HIGH,
          member(members.get(first).name()),
          layout.overlapCount()
              + " member(s) start inside the bytes of another member (a zip built to"
              + " decompress the same data many times, or to be read two ways); those were not"
              + " read, the others were scanned");
    }
    ctx.inTorchScriptArchive(
        torch.torchScriptModules(),
        () -> {
          for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (m.directory() || (useLayout && layout.overlaps(i))) {
              continue;
            }
            if (m.unreadable()) {
              ctx.finding(
                  c,
                  "zip.encrypted-member",
                  Severity.MEDIUM,
                  member(m.name()),
                  "member is encrypted (or compressed by a method this scanner cannot read), so"
                      + " what it holds cannot be classified; not scanned (fail closed)");
              continue;
            }
            String index = TensorBundleNames.indexOf(m.name());
            Content.Role role =
                torch.isStorage(m.name()) || (index != null && names.contains(index))
                    ? Content.Role.TENSOR_DATA
                    : Content.Role.ANY;
            ctx.scanNested(c, member(m.name()), m.size(), m.opener(), role);
          }
        });
  }

  /** A zip member as either reader lists it. */
  private record Member(
      String name, long size, boolean directory, boolean unreadable, Content.Opener opener) {}

  private static java.io.InputStream open(ZipFile zip, ZipEntry e) throws IOException {
    try {
      return zip.getInputStream(e);
    } catch (ZipException ex) {
      throw new IOException("zip member cannot be read: " + ex.getMessage(), ex);
    }
  }

  private static String member(String name) {
    return "member '" + PickleScan.printable(name) + "'";
  }
}
