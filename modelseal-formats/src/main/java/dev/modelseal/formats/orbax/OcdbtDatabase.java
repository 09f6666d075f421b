package dev.modelseal.formats.orbax;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.TableBudget;
import dev.modelseal.formats.internal.Utf8;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The latest version of a tensorstore OCDBT key-value store (the layout Orbax writes checkpoints in
 * by default), read from its manifest, as tensorstore's {@code kvstore/ocdbt/index.rst} specifies:
 * the manifest ({@code manifest.ocdbt}, or for the numbered kind the newest {@code manifest.<16 hex
 * digits>}), the newest version it lists, and the b-tree from that version's root down to every
 * leaf. Values are kept as references ({@link StoredValue}): inline bytes from a leaf, or a region
 * of a data file.
 *
 * <p>Guarantee: every manifest and b-tree node has the magic number of its kind, the length its
 * header states, format version 0 and a matching CRC-32C, and decodes (zstd through aircompressor)
 * to at most {@link ReadLimits#indexBytes()} and a quarter of {@link ReadLimits#tableBytes()} with
 * nothing left over; every count and length is checked against the bytes left before it is used;
 * every data file path is a relative path of plain names inside the store (no {@code ..}, no
 * absolute path, no symbolic link on the way) naming a regular file, and every node and value
 * region lies inside its file; child nodes have the height below their parent's; keys come out
 * strictly increasing across the whole tree (so no key appears twice and a node referenced twice
 * fails instead of being read again); the keys and inline values held are charged to a {@link
 * TableBudget}. Older versions are not read.
 */
final class OcdbtDatabase {
  static final int MANIFEST_MAGIC = 0x0cdb3a2a;
  static final int BTREE_MAGIC = 0x0cdb20de;
  private static final int MAX_PATH = 65_535;
  private static final int MAX_KEY = 65_535;
  private static final int MAX_ARITY = 1 << 20;
  private static final long MISSING = -1L;

  private final Path root;
  private final Map<String, StoredValue> values;
  private final long generation;

  private OcdbtDatabase(Path root, Map<String, StoredValue> values, long generation) {
    this.root = root;
    this.values = values;
    this.generation = generation;
  }

  /** The value stored under {@code key} in the latest version, if any. */
  Optional<StoredValue> get(String key) {
    return Optional.ofNullable(
        values.get(new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
  }

  /** The number of keys in the latest version. */
  int size() {
    return values.size();
  }

  /** The generation number of the latest version (1 for a store written once). */
  long generation() {
    return generation;
  }

  Path root() {
    return root;
  }

  /** Reads the manifest and the b-tree of the latest version of the store in {@code root}. */
  static OcdbtDatabase open(Path root, ReadLimits limits) throws ModelsealException {
    return new Loader(root, limits).load();
  }

  /** One entry of a data file table: the base path children inherit, and the file. */
  private record DataFile(byte[] basePath, Path file) {}

  /** A reference to an encoded node: its file, region, and the base path its children inherit. */
  private record NodeRef(DataFile file, long offset, long length) {}

  private static final class Loader {
    private final Path root;
    private final ReadLimits limits;
    private final int cap;
    private final TableBudget budget;
    private final Map<String, Path> resolved = new HashMap<>();
    private final Map<Path, Long> sizes = new HashMap<>();
    private final Map<String, StoredValue> values = new HashMap<>();
    private byte[] lastKey;
    private long nodes;

    Loader(Path root, ReadLimits limits) {
      this.root = root;
      this.limits = limits;
      // a node is held encoded and decoded at once, and the decoder grows its buffer by copying:
      // a quarter of the table budget each
      this.cap =
          (int)
              Math.min(
                  Math.min(limits.indexBytes(), limits.tableBytes() / 4), Integer.MAX_VALUE - 8);
      this.budget = TableBudget.of(root, "the OCDBT b-tree's keys", limits);
    }

    OcdbtDatabase load() throws ModelsealException {
      Path manifestFile = root.resolve("manifest.ocdbt");
      ByteCursor m = decode(readFile(manifestFile), MANIFEST_MAGIC, manifestFile, "the manifest");
      int kind = config(m);
      if (kind == 1) {
        manifestFile = newestNumberedManifest();
        m = decode(readFile(manifestFile), MANIFEST_MAGIC, manifestFile, "the manifest");
        if (config(m) != 0) {
          throw m.malformed("a numbered manifest does not hold the version tree");
        }
      }
      List<DataFile> table = dataFileTable(m, new byte[0], manifestFile);
      // inline_versions: the newest versions; the last is the latest
      int n = m.varint("num_versions", 1 << 16);
      if (n == 0) {
        throw m.malformed("the manifest lists no version");
      }
      long[] gen = new long[n];
      for (int i = 0; i < n; i++) {
        gen[i] = m.varint("generation_number");
        if (gen[i] <= 0 || (i > 0 && gen[i] <= gen[i - 1])) {
          throw m.malformed("generation numbers are not positive and increasing");
        }
      }
      int[] rootHeight = new int[n];
      for (int i = 0; i < n; i++) {
        rootHeight[i] = m.u8("root_height");
      }
      NodeRef[] roots = references(m, n, table, true);
      skipStatistics(m, n);
      m.skip(8 * n, "commit_time");
      // version_nodes: references to older versions, not read
      int v = m.varint("num_version_nodes", 64);
      for (int i = 0; i < v; i++) {
        m.varint("generation_number");
      }
      references(m, v, table, false);
      for (int i = 0; i < v; i++) {
        m.varint("num_generations");
      }
      m.skip(8 * v, "commit_time");
      m.skip(v, "entry_height");
      if (m.remaining() != 0) {
        throw m.malformed(m.remaining() + " bytes follow the version tree");
      }
      NodeRef latest = roots[n - 1];
      if (latest != null) {
        node(latest, rootHeight[n - 1], new byte[0]);
      } else if (rootHeight[n - 1] != 0) {
        throw m.malformed("the latest version has no root but a root height");
      }
      return new OcdbtDatabase(root, Map.copyOf(values), gen[n - 1]);
    }

    /** Reads the configuration; returns the manifest kind (0 single, 1 numbered). */
    private static int config(ByteCursor m) throws MalformedModelException {
      m.skip(16, "the uuid");
      int kind = m.u8("manifest_kind");
      if (kind > 1) {
        throw m.malformed("manifest_kind " + kind + " is not 0 (single) or 1 (numbered)");
      }
      m.varint("max_inline_value_bytes");
      m.varint("max_decoded_node_bytes");
      int arity = m.u8("version_tree_arity_log2");
      if (arity < 1 || arity > 16) {
        throw m.malformed("version_tree_arity_log2 " + arity + " is outside 1..16");
      }
      long method = m.varint("compression_method");
      if (method == 1) {
        m.i32le("the zstd level");
      } else if (method != 0) {
        throw m.malformed("compression_method " + method + " is not 0 or 1");
      }
      return kind;
    }

    private Path newestNumberedManifest() throws ModelsealException {
      Path best = null;
      String bestName = null;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (isNumberedManifest(name) && (bestName == null || name.compareTo(bestName) > 0)) {
            best = p;
            bestName = name;
          }
        }
      } catch (IOException e) {
        throw ModelIoException.of(root, e);
      }
      if (best == null) {
        throw new MalformedModelException(
            root.resolve("manifest.ocdbt"),
            "the manifest is of the numbered kind but no manifest.<16 hex digits> is present");
      }
      return best;
    }

    private static boolean isNumberedManifest(String name) {
      if (name.length() != 9 + 16 || !name.startsWith("manifest.")) {
        return false;
      }
      for (int i = 9; i < name.length(); i++) {
        char c = name.charAt(i);
        if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
          return false;
        }
      }
      return true;
    }

    /** {@code n} indirect references: file ids, offsets, lengths (columns, in that order). */
    private NodeRef[] references(ByteCursor c, int n, List<DataFile> table, boolean allowMissing)
        throws MalformedModelException {
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = fileId(c, table);
      }
      long[] off = new long[n];
      for (int i = 0; i < n; i++) {
        off[i] = c.varint("data_file_offset");
      }
      NodeRef[] out = new NodeRef[n];
      for (int i = 0; i < n; i++) {
        long len = c.varint("data_file_length"); // all ones (-1) with the offset: missing
        if (off[i] == MISSING && len == MISSING && allowMissing) {
          continue;
        }
        if (off[i] < 0 || len < 0 || len > Long.MAX_VALUE - off[i]) {
          throw c.malformed("a reference's offset and length overflow");
        }
        out[i] = new NodeRef(table.get(ids[i]), off[i], len);
      }
      return out;
    }

    /** A {@code data_file_id}: an index into the node's data file table. */
    private static int fileId(ByteCursor c, List<DataFile> table) throws MalformedModelException {
      int id = c.varint("data_file_id", Integer.MAX_VALUE);
      if (id >= table.size()) {
        throw c.malformed("data_file_id " + id + " is outside the table of " + table.size());
      }
      return id;
    }

    private static void skipStatistics(ByteCursor c, int n) throws MalformedModelException {
      for (int i = 0; i < 3 * n; i++) {
        c.varint("a b-tree statistic");
      }
    }

    private List<DataFile> dataFileTable(ByteCursor c, byte[] transitive, Path where)
        throws ModelsealException {
      int n = c.varint("num_files", c.remaining());
      int[] prefix = new int[n];
      int[] suffix = new int[n];
      int[] base = new int[n];
      for (int i = 1; i < n; i++) {
        prefix[i] = c.varint("path_prefix_length", MAX_PATH);
      }
      for (int i = 0; i < n; i++) {
        suffix[i] = c.varint("path_suffix_length", MAX_PATH);
      }
      for (int i = 0; i < n; i++) {
        base[i] = c.varint("base_path_length", MAX_PATH);
      }
      List<DataFile> out = new ArrayList<>(n);
      byte[] prev = new byte[0];
      for (int i = 0; i < n; i++) {
        if (prefix[i] > prev.length) {
          throw c.malformed("a data file path's prefix is longer than the path before it");
        }
        int len = prefix[i] + suffix[i];
        if (len + transitive.length > MAX_PATH || base[i] > len) {
          throw c.malformed("a data file path is over 65,535 bytes or its base is over it");
        }
        byte[] path = new byte[len];
        System.arraycopy(prev, 0, path, 0, prefix[i]);
        System.arraycopy(c.bytes(suffix[i], "path_suffix"), 0, path, prefix[i], suffix[i]);
        byte[] full = concat(transitive, path, len);
        byte[] basePath = Arrays.copyOf(full, transitive.length + base[i]);
        out.add(new DataFile(basePath, resolve(full, where)));
        prev = path;
      }
      return out;
    }

    private Path resolve(byte[] full, Path where) throws ModelsealException {
      String rel;
      try {
        rel = Utf8.decode(full);
      } catch (IllegalArgumentException e) {
        throw new MalformedModelException(where, "a data file path is not UTF-8");
      }
      Path known = resolved.get(rel);
      if (known != null) {
        return known;
      }
      Path p = root;
      int start = 0;
      for (int i = 0; i <= rel.length(); i++) {
        if (i == rel.length() || rel.charAt(i) == '/') {
          String seg = rel.substring(start, i);
          if (seg.isEmpty()
              || seg.equals(".")
              || seg.equals("..")
              || seg.indexOf('\\') >= 0
              || seg.indexOf('\0') >= 0) {
            throw new MalformedModelException(
                where,
                "the data file path "
                    + Quoted.of(rel)
                    + " is not a relative path of plain names inside the checkpoint");
          }
          p = p.resolve(seg);
          if (Files.isSymbolicLink(p)) {
            throw new MalformedModelException(
                where, "the data file path " + Quoted.of(rel) + " goes through a link");
          }
          start = i + 1;
        }
      }
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new MalformedModelException(
            where, "the data file " + Quoted.of(rel) + " is missing or not a regular file");
      }
      LimitExceededException.check(
          where, "the number of data files", resolved.size() + 1L, limits.zipEntries());
      resolved.put(rel, p);
      return p;
    }

    private long size(Path file) throws ModelsealException {
      Long s = sizes.get(file);
      if (s == null) {
        try {
          s = Files.size(file);
        } catch (IOException e) {
          throw ModelIoException.of(file, e);
        }
        sizes.put(file, s);
      }
      return s;
    }

    private void node(NodeRef ref, int height, byte[] inherited) throws ModelsealException {
      LimitExceededException.check(root, "the number of b-tree nodes", ++nodes, limits.tensors());
      Path file = ref.file().file();
      LimitExceededException.check(file, "a b-tree node's size", ref.length(), cap);
      if (ref.offset() > size(file) - ref.length()) {
        throw new MalformedModelException(file, "a b-tree node lies outside its data file");
      }
      ByteCursor c =
          decode(
              readRegion(file, ref.offset(), (int) ref.length()),
              BTREE_MAGIC,
              file,
              "a b-tree node");
      int h = c.u8("height");
      if (h != height) {
        throw c.malformed("the node's height is " + h + ", its parent expects " + height);
      }
      List<DataFile> table = dataFileTable(c, ref.file().basePath(), file);
      int n = c.varint("num_entries", Math.min(MAX_ARITY, c.remaining()));
      if (n == 0) {
        throw c.malformed("the node is empty");
      }
      int[] prefix = new int[n];
      int[] suffix = new int[n];
      for (int i = 1; i < n; i++) {
        prefix[i] = c.varint("key_prefix_length", MAX_KEY);
      }
      for (int i = 0; i < n; i++) {
        suffix[i] = c.varint("key_suffix_length", MAX_KEY);
      }
      int[] common = new int[n];
      if (h > 0) {
        for (int i = 0; i < n; i++) {
          common[i] = c.varint("subtree_common_prefix_length", MAX_KEY);
        }
      }
      byte[][] keys = new byte[n][];
      for (int i = 0; i < n; i++) {
        byte[] prev = i == 0 ? new byte[0] : keys[i - 1];
        if (prefix[i] > prev.length || prefix[i] + suffix[i] > MAX_KEY) {
          throw c.malformed("a key's prefix is longer than the key before it, or it is too long");
        }
        byte[] k = new byte[prefix[i] + suffix[i]];
        System.arraycopy(prev, 0, k, 0, prefix[i]);
        System.arraycopy(c.bytes(suffix[i], "key_suffix"), 0, k, prefix[i], suffix[i]);
        if (i > 0 && Arrays.compareUnsigned(k, prev) <= 0) {
          throw c.malformed("the node's keys are not in increasing order");
        }
        if (common[i] > k.length) {
          throw c.malformed("a subtree's common prefix is longer than its key");
        }
        keys[i] = k;
      }
      if (h > 0) {
        NodeRef[] children = references(c, n, table, false);
        skipStatistics(c, n);
        end(c);
        for (int i = 0; i < n; i++) {
          node(children[i], h - 1, concat(inherited, keys[i], common[i]));
        }
        return;
      }
      long[] length = new long[n];
      for (int i = 0; i < n; i++) {
        length[i] = c.varint("value_length");
      }
      boolean[] indirect = new boolean[n];
      int indirects = 0;
      for (int i = 0; i < n; i++) {
        int kind = c.u8("value_kind");
        if (kind > 1) {
          throw c.malformed("value_kind " + kind + " is not 0 (inline) or 1 (out of line)");
        }
        indirect[i] = kind == 1;
        indirects += kind;
      }
      int[] ids = new int[indirects];
      for (int j = 0; j < indirects; j++) {
        ids[j] = fileId(c, table);
      }
      long[] offsets = new long[indirects];
      for (int j = 0; j < indirects; j++) {
        offsets[j] = c.varint("data_file_offset");
      }
      StoredValue[] vals = new StoredValue[n];
      for (int i = 0, j = 0; i < n; i++) {
        if (indirect[i]) {
          Path f = table.get(ids[j]).file();
          long off = offsets[j++];
          if (length[i] > size(f) || off > size(f) - length[i]) {
            throw c.malformed("a value lies outside its data file");
          }
          vals[i] = StoredValue.region(f, off, length[i]);
        } else {
          if (length[i] > c.remaining()) {
            throw c.malformed("an inline value is longer than the node");
          }
          budget.charge(length[i]);
          vals[i] = StoredValue.inline(file, c.bytes((int) length[i], "an inline value"));
        }
      }
      end(c);
      for (int i = 0; i < n; i++) {
        byte[] full = concat(inherited, keys[i], keys[i].length);
        if (lastKey != null && Arrays.compareUnsigned(full, lastKey) <= 0) {
          throw c.malformed("the b-tree's keys are not in increasing order (a key repeats)");
        }
        lastKey = full;
        String k = new String(full, StandardCharsets.ISO_8859_1);
        budget.charge(k, 0);
        values.put(k, vals[i]);
      }
    }

    private static void end(ByteCursor c) throws MalformedModelException {
      if (c.remaining() != 0) {
        throw c.malformed(c.remaining() + " bytes follow the node's entries");
      }
    }

    private static byte[] concat(byte[] a, byte[] b, int bLength) {
      byte[] out = Arrays.copyOf(a, a.length + bLength);
      System.arraycopy(b, 0, out, a.length, bLength);
      return out;
    }

    private byte[] readFile(Path file) throws ModelsealException {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new MalformedModelException(file, "missing, or not a regular file");
      }
      long size = size(file);
      LimitExceededException.check(file, "the manifest's size", size, cap);
      return readRegion(file, 0, (int) size);
    }

    private static byte[] readRegion(Path file, long offset, int length) throws ModelsealException {
      return StoredValue.region(file, offset, length).read(0, length);
    }

    /**
     * Checks the header, length and CRC-32C of an encoded node and returns a cursor over its
     * (decompressed) body.
     */
    private ByteCursor decode(byte[] e, int magic, Path file, String what)
        throws ModelsealException {
      if (e.length < 16) {
        throw new MalformedModelException(file, what + " is shorter than 16 bytes");
      }
      int got = (e[0] & 0xFF) << 24 | (e[1] & 0xFF) << 16 | (e[2] & 0xFF) << 8 | (e[3] & 0xFF);
      if (got != magic) {
        throw new MalformedModelException(
            file,
            what + " does not start with the OCDBT magic number " + Integer.toHexString(magic));
      }
      ByteCursor h = new ByteCursor(e, 4, e.length - 4, file, what);
      long length = h.u64le("the length");
      if (length != e.length) {
        throw h.malformed(
            "its header says " + Long.toUnsignedString(length) + " bytes, it has " + e.length);
      }
      CRC32C crc = new CRC32C();
      crc.update(e, 0, e.length - 4);
      int stored =
          (e[e.length - 4] & 0xFF)
              | (e[e.length - 3] & 0xFF) << 8
              | (e[e.length - 2] & 0xFF) << 16
              | (e[e.length - 1] & 0xFF) << 24;
      if ((int) crc.getValue() != stored) {
        throw h.malformed("it fails its CRC-32C (damaged)");
      }
      long version = h.varint("the format version");
      if (version != 0) {
        throw new UnsupportedModelException(
            file, what + " is of OCDBT format version " + version + ", only 0 is read");
      }
      long compression = h.varint("the compression format");
      if (compression == 0) {
        return new ByteCursor(e, h.position(), e.length - 4, file, what);
      }
      if (compression != 1) {
        throw h.malformed("compression format " + compression + " is not 0 or 1 (zstd)");
      }
      byte[] body;
      try (InputStream z =
          new ZstdInputStream(
              new ByteArrayInputStream(e, h.position(), e.length - 4 - h.position()))) {
        body = z.readNBytes(cap + 1);
      } catch (IOException | RuntimeException x) {
        throw h.malformed("its zstd body is corrupt");
      }
      LimitExceededException.check(file, what + "'s decoded size", body.length, cap);
      return new ByteCursor(body, 0, body.length, file, what);
    }
  }
}
