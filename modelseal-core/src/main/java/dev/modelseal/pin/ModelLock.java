package dev.modelseal.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.manifest.SerializationJson;
import dev.modelseal.walk.ResourceNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lock file ({@code modelseal.lock}): for each model, its root digest, serialization and
 * per-resource digests, so {@code check} can name every modified, missing and extra file.
 *
 * <p>Reading is strict and bounded: at most {@link #MAX_BYTES} bytes, duplicate keys, unknown
 * versions, invalid names and malformed digests are refused, and each entry's root must equal the
 * root recomputed from its resources. Writing is atomic (a temporary file renamed into place).
 */
public final class ModelLock {
  /** The largest lock file read. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  /** The lock file format version this code writes and reads. */
  public static final int VERSION = 1;

  private final List<LockEntry> entries;

  private ModelLock(List<LockEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** A lock of these entries. */
  public static ModelLock of(List<LockEntry> entries) {
    return new ModelLock(entries);
  }

  /** The entries, in file order. */
  public List<LockEntry> entries() {
    return entries;
  }

  /**
   * The entry for {@code model}: the one whose recorded path equals it, else the only one whose
   * model name equals its last element.
   *
   * @throws InvalidInputException when no entry, or several, fit
   */
  public LockEntry entry(String model) throws InvalidInputException {
    String wanted = normalize(model);
    for (LockEntry e : entries) {
      if (normalize(e.path()).equals(wanted)) {
        return e;
      }
    }
    String name = lastElement(wanted);
    LockEntry found = null;
    for (LockEntry e : entries) {
      if (e.manifest().modelName().equals(name)) {
        if (found != null) {
          throw new InvalidInputException(null, "several lock entries are named '" + name + "'");
        }
        found = e;
      }
    }
    if (found == null) {
      throw new InvalidInputException(null, "no lock entry for '" + model + "'");
    }
    return found;
  }

  /** A pin for the entry of {@code model} (see {@link #entry}). */
  public ModelPin pin(String model) throws InvalidInputException {
    return entry(model).pin();
  }

  /** Reads a lock file. */
  public static ModelLock read(Path file) throws ModelsealException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(file, "lock file larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    return parse(bytes, file);
  }

  /**
   * Reads a lock file from the class path, e.g. {@code fromClasspath("/modelseal.lock")}, so the
   * pins ship inside the application's own (signed) jar.
   */
  public static ModelLock fromClasspath(String resource) throws ModelsealException {
    String r = resource.startsWith("/") ? resource : "/" + resource;
    Path label = Path.of("classpath:" + r);
    try (InputStream in = ModelLock.class.getResourceAsStream(r)) {
      if (in == null) {
        throw new InvalidInputException(label, "no such resource on the class path");
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new InvalidInputException(label, "lock file larger than " + MAX_BYTES + " bytes");
      }
      return parse(bytes, label);
    } catch (IOException e) {
      throw ModelIoException.of(label, e);
    }
  }

  /** Parses lock file bytes; {@code source} names them in errors. */
  public static ModelLock parse(byte[] bytes, Path source) throws InvalidInputException {
    try {
      JsonNode root = StrictJson.parseObject(bytes);
      JsonNode version = root.get("lockVersion");
      if (version == null || !version.isInt() || version.intValue() != VERSION) {
        throw new IllegalArgumentException("lockVersion must be " + VERSION);
      }
      JsonNode models = StrictJson.array(root, "models", "lock");
      List<LockEntry> entries = new ArrayList<>();
      int i = 0;
      for (JsonNode m : models) {
        entries.add(readEntry(m, "models[" + i++ + "]"));
      }
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("lock has no models");
      }
      return new ModelLock(entries);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source, "malformed lock file: " + e.getMessage());
    }
  }

  private static LockEntry readEntry(JsonNode m, String where) {
    if (!m.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    String path = StrictJson.text(m, "path", where);
    String name = StrictJson.text(m, "name", where);
    Digest root = parseDigest(StrictJson.text(m, "root", where), where + ".root");
    Serialization s = SerializationJson.read(StrictJson.object(m, "serialization", where), where);
    JsonNode resources = StrictJson.array(m, "resources", where);
    List<ResourceDigest> list = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (JsonNode r : resources) {
      String w = where + ".resources[" + i++ + "]";
      if (!r.isObject()) {
        throw new IllegalArgumentException(w + " must be an object");
      }
      String rn = StrictJson.text(r, "name", w);
      String problem = ResourceNames.check(shardFile(rn, s));
      if (problem != null) {
        throw new IllegalArgumentException(w + ".name: " + problem);
      }
      if (!seen.add(rn)) {
        throw new IllegalArgumentException(w + ".name: duplicate '" + rn + "'");
      }
      Digest d = parseDigest(StrictJson.text(r, "digest", w), w + ".digest");
      if (!d.algorithm().equals(s.hash().omsName())) {
        throw new IllegalArgumentException(w + ".digest is not " + s.hash().omsName());
      }
      long size = StrictJson.wholeNumber(r, "size", w);
      list.add(new ResourceDigest(rn, d, size));
    }
    Manifest manifest = Manifest.of(name, s, list);
    if (!manifest.root().matches(root)) {
      throw new IllegalArgumentException(where + ".root does not match its resources");
    }
    return new LockEntry(path, manifest);
  }

  private static String shardFile(String name, Serialization s) {
    if (s.method() != Serialization.Method.SHARDS) {
      return name;
    }
    int last = name.lastIndexOf(':');
    int prev = last > 0 ? name.lastIndexOf(':', last - 1) : -1;
    if (prev <= 0) {
      throw new IllegalArgumentException("shard name '" + name + "' is not path:start:end");
    }
    return name.substring(0, prev);
  }

  private static Digest parseDigest(String text, String where) {
    try {
      return Digest.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  /** This lock as JSON text. */
  public String toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("lockVersion", VERSION);
    ArrayNode models = root.putArray("models");
    for (LockEntry e : entries) {
      Manifest m = e.manifest();
      ObjectNode o = models.addObject();
      o.put("path", e.path());
      o.put("name", m.modelName());
      o.put("root", m.root().toString());
      o.set("serialization", SerializationJson.write(m.serialization()));
      ArrayNode rs = o.putArray("resources");
      for (ResourceDigest r : m.resources()) {
        ObjectNode ro = rs.addObject();
        ro.put("name", r.name());
        ro.put("size", r.size());
        ro.put("digest", r.digest().toString());
      }
    }
    try {
      return StrictJson.mapper().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes this lock to {@code file} atomically: readers see the old file or the new one. */
  public void write(Path file) throws ModelsealException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static String normalize(String p) {
    String s = p.replace('\\', '/');
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String lastElement(String p) {
    int i = p.lastIndexOf('/');
    return i >= 0 ? p.substring(i + 1) : p;
  }
}
