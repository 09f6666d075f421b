package dev.modelseal.pin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.internal.LimitedInputStream;
import dev.modelseal.internal.RegularFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.PinDigest;
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
 * A lock file ({@code modelseal.lock}): for each model, its root digest, pin, serialization and
 * per-resource digests, so {@code check} can name every modified, missing and extra file. A lock
 * entry binds names: its resources are compared by name.
 *
 * <p>Reading is strict and bounded: at most {@link #MAX_BYTES} bytes, read as a stream, duplicate
 * keys, unknown versions, unknown fields in an entry, invalid names and malformed or non-canonical
 * (uppercase) digests are refused, and each entry's root and pin (when present: lock files written
 * before pins have none) must equal the ones recomputed from its resources. Writing is atomic (a
 * temporary file renamed into place) and streamed.
 */
public final class ModelLock {
  /** The largest lock file read. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  /** The lock file format version this code writes and reads. */
  public static final int VERSION = 1;

  private static final Set<String> ENTRY_FIELDS =
      Set.of("path", "name", "root", "pin", "serialization", "resources");
  private static final Set<String> RESOURCE_FIELDS = Set.of("name", "digest", "size");

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

  /** Reads a lock file, as a stream: memory grows with its resources, not with its text. */
  public static ModelLock read(Path file) throws ModelsealException {
    try {
      long size = RegularFiles.requireRegular(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(file, "lock file larger than " + MAX_BYTES + " bytes");
      }
      try (InputStream in = bounded(Files.newInputStream(file))) {
        return parse(in, file);
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
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
      return parse(bounded(in), label);
    } catch (IOException e) {
      throw ModelIoException.of(label, e);
    }
  }

  /** Parses lock file bytes; {@code source} names them in errors. */
  public static ModelLock parse(byte[] bytes, Path source) throws InvalidInputException {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(source, "lock file larger than " + MAX_BYTES + " bytes");
    }
    try {
      return parse(new java.io.ByteArrayInputStream(bytes), source);
    } catch (IOException e) {
      throw new IllegalStateException(e); // reading an array does not fail
    }
  }

  /**
   * Parses a lock file from a stream. Each entry's fields other than its resources are read as a
   * small tree; the resources are read one at a time.
   *
   * @throws IOException when the stream cannot be read
   */
  private static ModelLock parse(InputStream in, Path source)
      throws IOException, InvalidInputException {
    try (JsonParser p = StrictJson.parser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      ObjectNode head = StrictJson.mapper().createObjectNode();
      List<LockEntry> entries = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("models")) {
          if (t != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("lock.models must be an array");
          }
          entries = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            entries.add(readEntry(p, "models[" + entries.size() + "]"));
          }
        } else {
          head.set(field, StrictJson.tree(p));
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("not valid JSON: trailing content after the object");
      }
      JsonNode version = head.get("lockVersion");
      if (version == null || !version.isInt() || version.intValue() != VERSION) {
        throw new IllegalArgumentException("lockVersion must be " + VERSION);
      }
      if (entries == null) {
        throw new IllegalArgumentException("lock.models must be an array");
      }
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("lock has no models");
      }
      return new ModelLock(entries);
    } catch (TooLarge e) {
      throw new InvalidInputException(source, "lock file larger than " + MAX_BYTES + " bytes");
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source, "malformed lock file: " + StrictJson.malformed(e).getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source, "malformed lock file: " + e.getMessage());
    }
  }

  private static LockEntry readEntry(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    ObjectNode head = StrictJson.mapper().createObjectNode();
    List<ResourceDigest> list = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("resources")) {
        if (t != JsonToken.START_ARRAY) {
          throw new IllegalArgumentException(where + ".resources must be an array");
        }
        list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readResource(StrictJson.tree(p), where + ".resources[" + list.size() + "]"));
        }
      } else {
        head.set(field, StrictJson.tree(p));
      }
    }
    // The top level may grow fields (lockVersion governs); an entry has exactly these, so that no
    // edit (a renamed "pin", "ignore_paths") can drop a check unnoticed.
    StrictJson.onlyFields(head, ENTRY_FIELDS, where);
    String path = StrictJson.text(head, "path", where);
    String name = StrictJson.text(head, "name", where);
    Digest root = parseDigest(StrictJson.text(head, "root", where), where + ".root");
    Serialization s =
        SerializationJson.read(StrictJson.object(head, "serialization", where), where);
    if (list == null) {
      throw new IllegalArgumentException(where + ".resources must be an array");
    }
    checkResources(list, s, where);
    Manifest manifest = Manifest.of(name, s, list);
    if (!manifest.root().matches(root)) {
      throw new IllegalArgumentException(where + ".root does not match its resources");
    }
    if (head.has("pin")) {
      String text = StrictJson.text(head, "pin", where);
      PinDigest pin = PinDigest.parse(text);
      if (!pin.toString().equals(text)) {
        throw new IllegalArgumentException(where + ".pin is not in canonical form (lowercase hex)");
      }
      if (!pin.matches(manifest.pin())) {
        throw new IllegalArgumentException(where + ".pin does not match its resources");
      }
    }
    return new LockEntry(path, manifest);
  }

  private static ResourceDigest readResource(JsonNode r, String w) {
    if (!r.isObject()) {
      throw new IllegalArgumentException(w + " must be an object");
    }
    StrictJson.onlyFields(r, RESOURCE_FIELDS, w);
    String rn = StrictJson.text(r, "name", w);
    Digest d = parseDigest(StrictJson.text(r, "digest", w), w + ".digest");
    long size = StrictJson.wholeNumber(r, "size", w);
    return new ResourceDigest(rn, d, size);
  }

  /** Names valid and unique, digests of the serialization's algorithm. */
  private static void checkResources(List<ResourceDigest> list, Serialization s, String where) {
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (ResourceDigest r : list) {
      String w = where + ".resources[" + i++ + "]";
      String problem = ResourceNames.check(shardFile(r.name(), s));
      if (problem != null) {
        throw new IllegalArgumentException(w + ".name: " + problem);
      }
      if (!seen.add(r.name())) {
        throw new IllegalArgumentException(w + ".name: duplicate '" + r.name() + "'");
      }
      if (!r.digest().algorithm().equals(s.hash().omsName())) {
        throw new IllegalArgumentException(w + ".digest is not " + s.hash().omsName());
      }
    }
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
    Digest d;
    try {
      d = Digest.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    if (!d.toString().equals(text)) {
      // One spelling per digest: the file is compared and diffed as text, too.
      throw new IllegalArgumentException(where + " is not in canonical form (lowercase hex)");
    }
    return d;
  }

  /** This lock as JSON text (for small locks; {@link #write} streams). */
  public String toJson() {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try {
      writeTo(b);
    } catch (IOException e) {
      throw new IllegalStateException(e); // writing to an array does not fail
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /**
   * Writes this lock to {@code file} atomically (readers see the old file or the new one), as a
   * stream: memory does not grow with the file.
   *
   * @throws InvalidInputException when the file would be larger than {@link #MAX_BYTES}, which
   *     {@link #read} refuses (nothing is written)
   */
  public void write(Path file) throws ModelsealException {
    long size = size();
    if (size > MAX_BYTES) {
      throw new InvalidInputException(
          file,
          "the lock file would be "
              + size
              + " bytes, over the "
              + MAX_BYTES
              + " that reading it allows: refused (lock fewer models or files per lock file)");
    }
    AtomicFiles.write(file, this::writeTo);
  }

  /** The size of the JSON in bytes, counted without keeping it. */
  private long size() {
    long[] count = new long[1];
    java.io.OutputStream counter =
        new java.io.OutputStream() {
          @Override
          public void write(int b) {
            count[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            count[0] += len;
          }
        };
    try {
      writeTo(counter);
    } catch (IOException e) {
      throw new IllegalStateException(e); // counting does not fail
    }
    return count[0];
  }

  /**
   * The JSON: per model its path, name, OMS root, pin (which binds names; lock files written before
   * pins existed have none, and their per-file lists bind names all the same), serialization and
   * resources.
   */
  private void writeTo(java.io.OutputStream out) throws IOException {
    try (JsonGenerator g = StrictJson.mapper().getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("lockVersion", VERSION);
      g.writeArrayFieldStart("models");
      for (LockEntry e : entries) {
        writeEntry(g, e.path(), e.manifest());
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
  }

  private static void writeEntry(JsonGenerator g, String path, Manifest m) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", path);
    g.writeStringField("name", m.modelName());
    g.writeStringField("root", m.root().toString());
    g.writeStringField("pin", m.pin().toString());
    g.writeFieldName("serialization");
    g.writeTree(SerializationJson.write(m.serialization()));
    g.writeArrayFieldStart("resources");
    for (ResourceDigest r : m.resources()) {
      g.writeStartObject();
      g.writeStringField("name", r.name());
      g.writeNumberField("size", r.size());
      g.writeStringField("digest", r.digest().toString());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A stream that fails a read beyond {@link #MAX_BYTES}, however its size was learned. */
  private static InputStream bounded(InputStream in) {
    return new LimitedInputStream(in, MAX_BYTES, max -> new TooLarge());
  }

  /** The lock file went past {@link #MAX_BYTES}. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
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
