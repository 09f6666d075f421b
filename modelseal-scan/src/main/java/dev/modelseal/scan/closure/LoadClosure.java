package dev.modelseal.scan.closure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The load-time closure of one JSON configuration: the code its loader would run ({@link
 * RemoteCode}: {@code auto_map} entries of a transformers config, custom components and pipelines
 * of a diffusers {@code model_index.json}, a {@code trust_remote_code} switch) and the models it
 * names ({@link Dependency}: peft's {@code base_model_name_or_path} with its {@code revision}, a
 * transformers {@code _name_or_path}, another repository an {@code auto_map} entry points to).
 * Nothing is executed or imported; Python files are read as text, at most {@value #MAX_PY_BYTES}
 * bytes, and their imports listed (at most {@value #MAX_IMPORTS}). Immutable.
 */
public final class LoadClosure {
  /** The largest Python file read for its imports. */
  public static final int MAX_PY_BYTES = 1024 * 1024;

  /** The most imports listed per file. */
  public static final int MAX_IMPORTS = 64;

  /** The most entries read from one config. */
  public static final int MAX_ENTRIES = 256;

  /** The largest config read by {@link #dependencies(Path, List)}. */
  public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  /** Libraries diffusers loads components from that are installed code, not the model's. */
  private static final Set<String> KNOWN_LIBRARIES =
      Set.of("diffusers", "transformers", "peft", "torch", "onnxruntime.training", "keras_hub");

  /**
   * Code the loader runs.
   *
   * @param where the JSON field ({@code auto_map.AutoModel})
   * @param reference what it names ({@code modeling_foo.FooModel})
   * @param file the Python file it is loaded from, relative to the config's directory, or empty
   * @param present whether that file is in the model
   * @param imports the file's imports, as written (relative ones start with a dot)
   */
  public record RemoteCode(
      String where, String reference, String file, boolean present, List<String> imports) {}

  /**
   * A model the config names.
   *
   * @param name hub id or path, as written
   * @param revision revision, as written, or empty
   * @param field the field
   * @param fetched true when a loader fetches it by itself
   */
  public record Dependency(String name, String revision, String field, boolean fetched) {}

  private final List<RemoteCode> code;
  private final List<Dependency> dependencies;

  private LoadClosure(List<RemoteCode> code, List<Dependency> dependencies) {
    this.code = List.copyOf(code);
    this.dependencies = List.copyOf(dependencies);
  }

  /** Code the loader runs. */
  public List<RemoteCode> code() {
    return code;
  }

  /** Models the config names. */
  public List<Dependency> dependencies() {
    return dependencies;
  }

  /**
   * The closure of {@code config}.
   *
   * @param dir the config's directory on disk, to read the Python files it names; null when not on
   *     disk (the files are then reported as not read)
   */
  public static LoadClosure of(JsonNode config, Path dir) {
    List<RemoteCode> code = new ArrayList<>();
    List<Dependency> deps = new ArrayList<>();
    if (!config.isObject()) {
      return new LoadClosure(code, deps);
    }
    JsonNode autoMap = config.get("auto_map");
    if (autoMap != null && autoMap.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = autoMap.fields();
      while (it.hasNext() && code.size() < MAX_ENTRIES) {
        Map.Entry<String, JsonNode> e = it.next();
        List<String> refs = new ArrayList<>();
        if (e.getValue().isTextual()) {
          refs.add(e.getValue().textValue());
        } else if (e.getValue().isArray()) {
          for (JsonNode v : e.getValue()) {
            if (v.isTextual()) {
              refs.add(v.textValue()); // a tokenizer's [slow, fast] pair; null for none
            }
          }
        }
        for (String ref : refs) {
          autoMapEntry("auto_map." + e.getKey(), ref, dir, code, deps);
        }
      }
    }
    JsonNode trust = config.get("trust_remote_code");
    if (trust != null && trust.isBoolean() && trust.booleanValue()) {
      code.add(new RemoteCode("trust_remote_code", "true", "", false, List.of()));
    }
    diffusers(config, dir, code);
    text(config, "base_model_name_or_path")
        .ifPresent(
            b ->
                deps.add(
                    new Dependency(
                        b, text(config, "revision").orElse(""), "base_model_name_or_path", true)));
    text(config, "_name_or_path")
        .ifPresent(n -> deps.add(new Dependency(n, "", "_name_or_path", false)));
    return new LoadClosure(code, deps);
  }

  private static void autoMapEntry(
      String where, String ref, Path dir, List<RemoteCode> code, List<Dependency> deps) {
    String local = ref;
    int sep = ref.indexOf("--");
    if (sep >= 0) {
      String repo = ref.substring(0, sep);
      local = ref.substring(sep + 2);
      String revision = "";
      int at = repo.indexOf('@');
      if (at >= 0) {
        revision = repo.substring(at + 1);
        repo = repo.substring(0, at);
      }
      deps.add(new Dependency(repo, revision, where, true));
    }
    int dot = local.lastIndexOf('.');
    String module = dot > 0 ? local.substring(0, dot) : "";
    String file =
        module.isEmpty() || !identifierPath(module) ? "" : module.replace('.', '/') + ".py";
    if (sep >= 0) {
      code.add(new RemoteCode(where, ref, file, false, List.of()));
      return;
    }
    code.add(pythonFile(where, ref, file, dir));
  }

  /**
   * diffusers' {@code model_index.json}: a component {@code [library, class]} whose library is no
   * installed package is loaded from {@code <component>/<library>.py}; a {@code _class_name} given
   * as {@code [module, class]} is a custom pipeline loaded from {@code <module>.py}.
   */
  private static void diffusers(JsonNode config, Path dir, List<RemoteCode> code) {
    if (!config.has("_diffusers_version") || !config.has("_class_name")) {
      return;
    }
    JsonNode cls = config.get("_class_name");
    if (cls.isArray() && cls.size() == 2 && cls.get(0).isTextual() && cls.get(1).isTextual()) {
      String module = cls.get(0).textValue();
      String file = identifierPath(module) ? module.replace('.', '/') + ".py" : "";
      code.add(pythonFile("_class_name", module + "." + cls.get(1).textValue(), file, dir));
    }
    Iterator<Map.Entry<String, JsonNode>> it = config.fields();
    while (it.hasNext() && code.size() < MAX_ENTRIES) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (e.getKey().startsWith("_")
          || !v.isArray()
          || v.size() != 2
          || !v.get(0).isTextual()
          || !v.get(1).isTextual()) {
        continue;
      }
      String library = v.get(0).textValue();
      if (KNOWN_LIBRARIES.contains(library) || !identifierPath(e.getKey())) {
        continue;
      }
      String file =
          identifierPath(library) ? e.getKey() + "/" + library.replace('.', '/') + ".py" : "";
      code.add(pythonFile(e.getKey(), library + "." + v.get(1).textValue(), file, dir));
    }
  }

  private static RemoteCode pythonFile(String where, String ref, String file, Path dir) {
    if (file.isEmpty() || dir == null) {
      return new RemoteCode(where, ref, file, false, List.of());
    }
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p)) {
      return new RemoteCode(where, ref, file, false, List.of());
    }
    return new RemoteCode(where, ref, file, true, imports(p));
  }

  /** The modules {@code py} imports, read line by line (no regular expressions, nothing run). */
  static List<String> imports(Path py) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(py)) {
      bytes = in.readNBytes(MAX_PY_BYTES);
    } catch (IOException e) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
      String s = line.strip();
      String rest = null;
      if (s.startsWith("import ")) {
        rest = s.substring(7);
      } else if (s.startsWith("from ")) {
        rest = s.substring(5);
      }
      if (rest == null) {
        continue;
      }
      rest = rest.strip();
      int end = 0;
      while (end < rest.length()
          && (Character.isLetterOrDigit(rest.charAt(end))
              || rest.charAt(end) == '_'
              || rest.charAt(end) == '.')) {
        end++;
      }
      if (end > 0 && end <= 200) {
        out.add(rest.substring(0, end));
      }
      if (s.startsWith("import ") && rest.indexOf(',') > 0) {
        for (String part : rest.split(",")) {
          String m = part.strip();
          int sp = m.indexOf(' ');
          m = sp > 0 ? m.substring(0, sp) : m;
          if (!m.isEmpty() && m.length() <= 200 && identifierPath(m)) {
            out.add(m);
          }
        }
      }
      if (out.size() >= MAX_IMPORTS) {
        break;
      }
    }
    return List.copyOf(out);
  }

  /** Dotted Python identifiers (a leading dot for a relative module), nothing else. */
  static boolean identifierPath(String s) {
    if (s.isEmpty() || s.length() > 200 || s.contains("..") || s.endsWith(".")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '_' && c != '.') {
        return false;
      }
    }
    return !s.startsWith(".");
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() && !v.textValue().isEmpty()
        ? Optional.of(v.textValue())
        : Optional.empty();
  }

  /**
   * The dependencies named by the JSON configs among {@code files} (relative names under {@code
   * dir}, as a verified model lists them): each file that parses as a JSON object of at most
   * {@value #MAX_CONFIG_BYTES} bytes is asked. Returns (file, dependency) pairs in file order.
   */
  public static List<Map.Entry<String, Dependency>> dependencies(Path dir, List<String> files) {
    List<Map.Entry<String, Dependency>> out = new ArrayList<>();
    for (String f : files) {
      if (!f.endsWith(".json")) {
        continue; // only configs; the scanner itself routes by content
      }
      Path p = dir.resolve(f);
      byte[] b;
      try (InputStream in = Files.newInputStream(p)) {
        b = in.readNBytes(MAX_CONFIG_BYTES + 1);
      } catch (IOException e) {
        continue;
      }
      if (b.length > MAX_CONFIG_BYTES) {
        continue;
      }
      JsonNode n;
      try {
        n = StrictJson.parseObject(b);
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (Dependency d : of(n, p.getParent()).dependencies()) {
        out.add(Map.entry(f, d));
      }
    }
    return out;
  }
}
