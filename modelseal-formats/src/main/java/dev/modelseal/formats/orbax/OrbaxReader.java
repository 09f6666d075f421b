package dev.modelseal.formats.orbax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.Utf8;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Orbax checkpoint directory: the leaves that {@code _METADATA}'s {@code tree_metadata}
 * lists as arrays ({@code np.ndarray}, {@code jax.Array}), each from the directory orbax names
 * after its pytree keys joined with {@code .}, holding {@code zarr.json} and its one chunk. Tensor
 * names are the pytree keys joined with {@code /} ({@code params/Dense_0/kernel}), as the Flax
 * reader names them.
 *
 * <p>Guarantee: {@code _METADATA} and every {@code zarr.json} are strict JSON within {@link
 * ReadLimits#indexBytes()}; every array directory is a plain name inside the checkpoint (no
 * separators, no {@code ..}, no links); each shard's index lies inside its file, passes its CRC32C
 * and points inside the file; the decompressed chunk is exactly the canonical size (checked while
 * it streams). Python scalars ({@code value_type} {@code scalar}) are not tensors and are counted
 * in the metadata {@code orbax.other_values}. The OCDBT layout (a {@code manifest.ocdbt}) is
 * refused: its b-tree is not read yet.
 */
public final class OrbaxReader {
  private static final Set<String> ARRAY_TYPES = Set.of("np.ndarray", "jax.Array");

  private OrbaxReader() {}

  /** Opens the checkpoint directory {@code dir}. */
  public static TensorModel open(Path dir, ReadLimits limits) throws ModelsealException {
    Path metaFile = dir.resolve("_METADATA");
    JsonNode meta = json(metaFile, limits);
    if (Files.exists(dir.resolve("manifest.ocdbt"), LinkOption.NOFOLLOW_LINKS)
        || meta.path("use_ocdbt").asBoolean(false)) {
      throw new UnsupportedModelException(
          dir,
          "an Orbax checkpoint in the OCDBT layout (orbax's default): not read yet; save it with"
              + " use_ocdbt=False, or convert it, to fingerprint it");
    }
    if (!meta.path("use_zarr3").asBoolean(false)) {
      throw new UnsupportedModelException(
          dir, "an Orbax checkpoint in the zarr v2 layout (use_zarr3=False): not read yet");
    }
    JsonNode tree = meta.get("tree_metadata");
    if (tree == null || !tree.isObject()) {
      throw new MalformedModelException(metaFile, "_METADATA has no tree_metadata object");
    }
    List<TensorSource> tensors = new ArrayList<>();
    int others = 0;
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      JsonNode leaf = e.getValue();
      JsonNode keys = leaf.get("key_metadata");
      String type = leaf.path("value_metadata").path("value_type").asText("");
      if (keys == null || !keys.isArray() || keys.isEmpty()) {
        throw new MalformedModelException(metaFile, "a tree_metadata entry has no key_metadata");
      }
      List<String> parts = new ArrayList<>();
      for (JsonNode k : keys) {
        JsonNode key = k.get("key");
        if (key == null || !key.isTextual()) {
          throw new MalformedModelException(metaFile, "a key_metadata key is not a string");
        }
        parts.add(key.asText());
      }
      if (!ARRAY_TYPES.contains(type)) {
        others++;
        continue;
      }
      LimitExceededException.check(
          dir, "the number of tensors", tensors.size() + 1L, limits.tensors());
      tensors.add(array(dir, String.join("/", parts), String.join(".", parts), limits));
    }
    Map<String, String> md = new LinkedHashMap<>();
    md.put("orbax.layout", "zarr3");
    md.put("orbax.other_values", Integer.toString(others));
    return TensorModel.of(dir, Format.ORBAX, tensors, md, List.of());
  }

  private static TensorSource array(Path dir, String name, String dirName, ReadLimits limits)
      throws ModelsealException {
    if (dirName.isEmpty()
        || dirName.equals(".")
        || dirName.equals("..")
        || dirName.indexOf('/') >= 0
        || dirName.indexOf('\\') >= 0
        || dirName.indexOf('\0') >= 0
        || dirName.length() > 255) {
      throw new MalformedModelException(
          dir,
          "the array directory for " + quote(name) + " is not a plain name inside the checkpoint");
    }
    Path adir = dir.resolve(dirName);
    if (!Files.isDirectory(adir, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(
          dir, "the array " + quote(name) + " has no directory " + quote(dirName));
    }
    Path zj = adir.resolve("zarr.json");
    ZarrArray z = ZarrArray.parse(json(zj, limits), zj, "zarr.json of " + quote(name));
    TensorInfo info;
    try {
      info = TensorInfo.create(name, z.dtype, z.shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(zj, e.getMessage());
    }
    Path chunk = adir;
    for (String p : z.chunkKey.split(z.chunkKey.contains(".") ? "\\." : "/")) {
      chunk = chunk.resolve(p);
    }
    return ChunkSource.open(info, chunk, z, limits);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), 48);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f || c == '\'' ? String.format("\\u%04x", (int) c) : c);
    }
    return s.length() > n
        ? b.append("…' (").append(s.length()).append(" chars)").toString()
        : b.append('\'').toString();
  }

  private static JsonNode json(Path file, ReadLimits limits) throws ModelsealException {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new MalformedModelException(file, "missing, or not a regular file");
      }
      LimitExceededException.check(file, "the JSON size", Files.size(file), limits.indexBytes());
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes((int) limits.indexBytes() + 1);
      }
      LimitExceededException.check(file, "the JSON size", bytes.length, limits.indexBytes());
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    try {
      Utf8.decode(bytes);
      return StrictJson.parseObject(bytes);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "not valid JSON: " + e.getMessage());
    }
  }
}
