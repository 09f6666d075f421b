package dev.modelseal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.walk.WalkOptions;
import java.util.List;

/**
 * Reads and writes the OMS v1.0 {@code serialization} object ({@code method}, {@code hash_type},
 * {@code allow_symlinks}, {@code ignore_paths}, and {@code shard_size} for shards).
 */
public final class SerializationJson {
  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("method", "hash_type", "allow_symlinks", "ignore_paths", "shard_size");

  private SerializationJson() {}

  /** Writes {@code s} as OMS does. */
  public static ObjectNode write(Serialization s) {
    ObjectNode n = StrictJson.mapper().createObjectNode();
    n.put("method", s.method().omsName());
    n.put("hash_type", s.hash().omsName());
    n.put("allow_symlinks", s.walk().allowSymlinks());
    if (s.method() == Serialization.Method.SHARDS) {
      n.put("shard_size", s.shardSize());
    }
    ArrayNode ignore = n.putArray("ignore_paths");
    s.walk().recordedIgnorePaths().forEach(ignore::add);
    return n;
  }

  /**
   * Reads an OMS {@code serialization} object. Recorded ignore paths are re-applied; the git
   * exclusions are kept on because OMS applies them whether or not they were recorded.
   *
   * @throws IllegalArgumentException when a field is missing, unknown or unsupported
   */
  public static Serialization read(JsonNode n, String where) {
    StrictJson.onlyFields(n, FIELDS, where + ".serialization");
    String hashName = StrictJson.text(n, "hash_type", where);
    if (!hashName.equals(hashName.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(where + ".serialization.hash_type must be lowercase");
    }
    Serialization.Method method =
        Serialization.Method.fromOmsName(StrictJson.text(n, "method", where));
    HashAlgorithm hash = HashAlgorithm.fromOmsName(hashName);
    boolean symlinks = StrictJson.bool(n, "allow_symlinks", false, where);
    List<String> ignore = StrictJson.texts(n, "ignore_paths", where);
    WalkOptions walk = WalkOptions.defaults().allowSymlinks(symlinks).ignoring(ignore);
    if (method == Serialization.Method.SHARDS) {
      long shard = StrictJson.wholeNumber(n, "shard_size", where);
      if (shard == 0) {
        throw new IllegalArgumentException(where + ".shard_size must be positive");
      }
      return Serialization.shards(hash, shard, walk);
    }
    return Serialization.files(hash, walk);
  }
}
