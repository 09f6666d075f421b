package dev.modelseal.oms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.manifest.SerializationJson;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.walk.ResourceNames;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The in-toto Statement an OMS signature carries: one subject (the model's name and root digest)
 * and the predicate (every resource's digest and the serialization).
 *
 * <p>{@link #write} gives deterministic bytes: the same manifest always yields the same bytes
 * (compact JSON, fixed key order, resources in code-point order, ignore paths sorted). {@link
 * #read} is strict: duplicate keys, a wrong {@code _type} or {@code predicateType}, no subject or
 * several, a missing predicate, no resources, a duplicate or unsafe resource name ({@code ..},
 * absolute, backslash), a digest of the wrong length or algorithm, and a subject digest that is not
 * the root of the listed resources are all refused; {@link #read} is for {@link OmsVerifier}, after
 * the signature verified. Historical statements of predicate {@link
 * OmsFormat#LEGACY_PREDICATE_TYPE} (one subject per file) are read too.
 */
public final class OmsStatement {
  private final String modelName;
  private final Digest root;
  private final Serialization serialization;
  private final List<ResourceDigest> resources;
  private final boolean legacy;

  private OmsStatement(
      String modelName,
      Digest root,
      Serialization serialization,
      List<ResourceDigest> resources,
      boolean legacy) {
    this.modelName = modelName;
    this.root = root;
    this.serialization = serialization;
    this.resources = List.copyOf(resources);
    this.legacy = legacy;
  }

  /**
   * The deterministic statement bytes (UTF-8 JSON) for {@code manifest}.
   *
   * @throws IllegalArgumentException when the manifest has no resource
   */
  public static byte[] write(Manifest manifest) {
    if (manifest.resources().isEmpty()) {
      throw new IllegalArgumentException("cannot sign an empty model");
    }
    List<ResourceDigest> sorted = new ArrayList<>(manifest.resources());
    sorted.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    Digest root = Manifest.rootOf(sorted);
    ObjectNode st = StrictJson.mapper().createObjectNode();
    st.put("_type", OmsFormat.STATEMENT_TYPE);
    ObjectNode subject = st.putArray("subject").addObject();
    subject.put("name", manifest.modelName());
    subject.putObject("digest").put("sha256", root.hex());
    st.put("predicateType", OmsFormat.PREDICATE_TYPE);
    ObjectNode predicate = st.putObject("predicate");
    ArrayNode rs = predicate.putArray("resources");
    for (ResourceDigest r : sorted) {
      ObjectNode o = rs.addObject();
      o.put("name", r.name());
      o.put("algorithm", r.digest().algorithm());
      o.put("digest", r.digest().hex());
    }
    ObjectNode ser = SerializationJson.write(manifest.serialization());
    List<String> ignore = new ArrayList<>(manifest.serialization().walk().recordedIgnorePaths());
    ignore.sort(ResourceNames.CODE_POINT_ORDER);
    ArrayNode ip = ser.putArray("ignore_paths");
    ignore.forEach(ip::add);
    predicate.set("serialization", ser);
    try {
      return StrictJson.mapper()
          .writer()
          .without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(st);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads statement bytes strictly.
   *
   * @param payload the DSSE payload, as received
   * @param source the signature file, for messages
   * @throws SignatureVerificationException naming the first problem found
   */
  static OmsStatement read(byte[] payload, Path source) throws SignatureVerificationException {
    JsonNode st;
    try {
      st = StrictJson.parseObject(payload);
    } catch (IllegalArgumentException e) {
      throw fail(source, Failure.MALFORMED_STATEMENT, "statement " + e.getMessage());
    }
    JsonNode type = st.get("_type");
    if (type == null || !type.isTextual() || !type.textValue().equals(OmsFormat.STATEMENT_TYPE)) {
      throw fail(
          source,
          Failure.WRONG_STATEMENT_TYPE,
          "statement _type is " + shown(type) + ", not " + OmsFormat.STATEMENT_TYPE);
    }
    JsonNode pt = st.get("predicateType");
    boolean legacy;
    if (pt != null && pt.isTextual() && pt.textValue().equals(OmsFormat.PREDICATE_TYPE)) {
      legacy = false;
    } else if (pt != null
        && pt.isTextual()
        && pt.textValue().equals(OmsFormat.LEGACY_PREDICATE_TYPE)) {
      legacy = true;
    } else {
      throw fail(
          source,
          Failure.WRONG_PREDICATE_TYPE,
          "predicateType is " + shown(pt) + ", not " + OmsFormat.PREDICATE_TYPE);
    }
    JsonNode subjects = st.get("subject");
    if (subjects == null || !subjects.isArray()) {
      throw fail(source, Failure.MALFORMED_STATEMENT, "statement.subject must be an array");
    }
    try {
      return legacy ? readLegacy(subjects, source) : readV1(st, subjects, source);
    } catch (IllegalArgumentException e) {
      throw fail(source, Failure.MALFORMED_STATEMENT, e.getMessage());
    }
  }

  private static OmsStatement readV1(JsonNode st, JsonNode subjects, Path source)
      throws SignatureVerificationException {
    if (subjects.size() != 1) {
      throw fail(
          source,
          Failure.WRONG_SUBJECT_COUNT,
          "the statement must have exactly one subject, not " + subjects.size());
    }
    JsonNode subject = subjects.get(0);
    if (!subject.isObject()) {
      throw new IllegalArgumentException("statement.subject[0] must be an object");
    }
    String name = StrictJson.text(subject, "name", "subject[0]");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("subject[0].name is empty");
    }
    Digest claimed = sha256(StrictJson.object(subject, "digest", "subject[0]"), "subject[0]");
    JsonNode predicate = st.get("predicate");
    if (predicate == null || !predicate.isObject()) {
      throw new IllegalArgumentException("the statement has no predicate object");
    }
    Serialization s;
    try {
      s =
          SerializationJson.read(
              StrictJson.object(predicate, "serialization", "predicate"),
              "predicate.serialization");
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("unsupported")) {
        throw fail(source, Failure.UNSUPPORTED_ALGORITHM, e.getMessage());
      }
      throw e;
    }
    JsonNode list = StrictJson.array(predicate, "resources", "predicate");
    if (list.isEmpty()) {
      throw fail(source, Failure.EMPTY_RESOURCES, "the statement lists no resources");
    }
    List<ResourceDigest> resources = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean single = list.size() == 1;
    int i = 0;
    for (JsonNode r : list) {
      String w = "predicate.resources[" + i++ + "]";
      if (!r.isObject()) {
        throw new IllegalArgumentException(w + " must be an object");
      }
      String rn = StrictJson.text(r, "name", w);
      checkName(rn, s, single, w, source);
      if (!seen.add(rn)) {
        throw fail(source, Failure.DUPLICATE_RESOURCE, w + ": '" + rn + "' is listed twice");
      }
      String alg = StrictJson.text(r, "algorithm", w);
      if (!algorithmMatches(alg, s)) {
        throw fail(
            source,
            Failure.UNSUPPORTED_ALGORITHM,
            w + ".algorithm is '" + alg + "', not the hash_type " + s.hash().omsName());
      }
      byte[] d = hex(StrictJson.text(r, "digest", w), s.hash().digestLength(), w + ".digest");
      resources.add(new ResourceDigest(rn, Digest.of(s.hash().omsName(), d), -1));
    }
    Digest root = Manifest.rootOf(resources);
    if (!root.matches(claimed)) {
      throw fail(
          source,
          Failure.ROOT_MISMATCH,
          "the subject digest " + claimed.hex() + " is not the root of the listed resources");
    }
    return new OmsStatement(name, root, s, resources, false);
  }

  private static OmsStatement readLegacy(JsonNode subjects, Path source)
      throws SignatureVerificationException {
    if (subjects.isEmpty()) {
      throw fail(source, Failure.EMPTY_RESOURCES, "the legacy statement lists no subjects");
    }
    Serialization s = Serialization.files(HashAlgorithm.SHA256, WalkOptions.defaults());
    List<ResourceDigest> resources = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (JsonNode subject : subjects) {
      String w = "subject[" + i++ + "]";
      if (!subject.isObject()) {
        throw new IllegalArgumentException(w + " must be an object");
      }
      String rn = StrictJson.text(subject, "name", w);
      checkName(rn, s, subjects.size() == 1, w, source);
      if (!seen.add(rn)) {
        throw fail(source, Failure.DUPLICATE_RESOURCE, w + ": '" + rn + "' is listed twice");
      }
      Digest d = sha256(StrictJson.object(subject, "digest", w), w);
      resources.add(new ResourceDigest(rn, d, -1));
    }
    resources.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    return new OmsStatement("", Manifest.rootOf(resources), s, resources, true);
  }

  private static void checkName(
      String name, Serialization s, boolean single, String where, Path source)
      throws SignatureVerificationException {
    String file = name;
    if (s.method() == Serialization.Method.SHARDS) {
      file = shardFile(name);
      if (file == null) {
        throw fail(
            source, Failure.BAD_RESOURCE_NAME, where + ": '" + name + "' is not path:start:end");
      }
    }
    if (file.equals(".") && (single || s.method() == Serialization.Method.SHARDS)) {
      return; // the Python reference names a single-file model's resource "."
    }
    String problem = ResourceNames.check(file);
    if (problem != null) {
      throw fail(
          source,
          Failure.BAD_RESOURCE_NAME,
          where + ": unsafe name '" + name + "' (" + problem + ")");
    }
  }

  /** The file part of {@code path:start:end}, or null when the name is not of that form. */
  static String shardFile(String name) {
    int last = name.lastIndexOf(':');
    int prev = last > 0 ? name.lastIndexOf(':', last - 1) : -1;
    if (prev <= 0) {
      return null;
    }
    String start = name.substring(prev + 1, last);
    String end = name.substring(last + 1);
    if (!digits(start) || !digits(end)) {
      return null;
    }
    return name.substring(0, prev);
  }

  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > 19) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean algorithmMatches(String alg, Serialization s) {
    String h = s.hash().omsName();
    if (alg.equals(h)) {
      return true;
    }
    // The Python reference names shard digests "<hash>-sharded-<size>".
    return s.method() == Serialization.Method.SHARDS && alg.equals(h + "-sharded-" + s.shardSize());
  }

  private static Digest sha256(JsonNode digestSet, String where) {
    String hex = StrictJson.text(digestSet, "sha256", where + ".digest");
    return Digest.sha256(hex(hex, 32, where + ".digest.sha256"));
  }

  private static byte[] hex(String text, int length, String where) {
    if (text.length() != 2 * length) {
      throw new IllegalArgumentException(
          where + " must have " + 2 * length + " hex digits, not " + text.length());
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
        throw new IllegalArgumentException(where + " is not hex");
      }
    }
    return Digest.parseHex(text);
  }

  private static String shown(JsonNode n) {
    if (n == null) {
      return "missing";
    }
    String t = n.isTextual() ? "'" + n.textValue() + "'" : n.toString();
    return t.length() > 100 ? t.substring(0, 100) + "..." : t;
  }

  private static SignatureVerificationException fail(Path source, Failure f, String reason) {
    return new SignatureVerificationException(source, f, reason);
  }

  /** The subject's name (the model's directory or file name when signed; empty for legacy). */
  public String modelName() {
    return modelName;
  }

  /** The root digest (checked against the listed resources). */
  public Digest root() {
    return root;
  }

  /** The recorded serialization (recorded ignore paths included). */
  public Serialization serialization() {
    return serialization;
  }

  /** The resources, in listed order (sorted by name for legacy statements). */
  public List<ResourceDigest> resources() {
    return resources;
  }

  /** True for a {@link OmsFormat#LEGACY_PREDICATE_TYPE} statement. */
  public boolean legacy() {
    return legacy;
  }

  /**
   * The manifest the model must match: the resources in code-point order (so the comparison is per
   * name whatever order the signer listed them in), hashed with {@code walk}.
   *
   * @param walk how to walk the model (recorded and extra ignore paths, ignore-unsigned)
   * @param singleFileName the model file's name when the model is a single file, else null; a
   *     resource named {@code .} (the Python reference's name for it) is renamed to it
   */
  public Manifest manifest(WalkOptions walk, String singleFileName) {
    List<ResourceDigest> rs = new ArrayList<>();
    for (ResourceDigest r : resources) {
      String n = r.name();
      if (singleFileName != null) {
        if (n.equals(".")) {
          n = singleFileName;
        } else if (n.startsWith(".:")) {
          n = singleFileName + n.substring(1);
        }
      }
      rs.add(new ResourceDigest(n, r.digest(), r.size()));
    }
    rs.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    return Manifest.of(modelName, serialization.withWalk(walk), rs);
  }
}
