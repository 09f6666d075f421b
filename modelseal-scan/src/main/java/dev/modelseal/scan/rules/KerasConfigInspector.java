package dev.modelseal.scan.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.ImportRating;
import dev.modelseal.scan.NameList;
import dev.modelseal.scan.ScanAllowlist;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.pickle.ImportPolicy;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks a Keras model configuration (Keras 2 {@code model_config}, Keras 3 {@code config.json}, the
 * {@code modelTopology} of a TF.js layers model) and reports what loading it would run or import.
 * Rule ids:
 *
 * <ul>
 *   <li>{@code keras.lambda} (high): a {@code Lambda} layer, which carries marshalled Python
 *       bytecode (or names a Python function) that Keras runs when the model is built;
 *   <li>{@code keras.unsafe-deserialization} (critical): the configuration names {@code
 *       enable_unsafe_deserialization} or another {@code keras.config} function, which turns
 *       Keras's safe mode off while loading (the CVE-2025-1550 pattern);
 *   <li>{@code keras.module} (critical when the pickle rules rate the module and attribute
 *       dangerous, high otherwise): a {@code module} outside Keras's own packages, which Keras
 *       imports to build the object;
 *   <li>{@code keras.tf-op} (high, critical for file/Python functions): a {@code TFOpLambda} or
 *       {@code SlicingOpLambda} layer, which calls the TensorFlow function it names;
 *   <li>{@code keras.custom-object} (medium): a registered custom object ({@code registered_name}
 *       {@code package>Class}), or a Keras 2 layer, initializer, regularizer or constraint class
 *       that is not one of Keras's own ({@code keras-objects.txt}): its code is not in the file but
 *       must already be installed and registered by the application, and what it does cannot be
 *       told;
 *   <li>{@code keras.vocabulary-file} (high): a {@code StringLookup}, {@code IntegerLookup} or
 *       {@code TextVectorization} layer whose {@code vocabulary} is a string, a path or URL Keras
 *       reads (through {@code tf.io.gfile}) while loading (CVE-2025-12058).
 * </ul>
 *
 * Locations are JSON paths of the object, with the layer name when there is one.
 */
final class KerasConfigInspector {
  /** Deepest nesting walked; deeper configurations are reported, not walked. */
  static final int MAX_DEPTH = 256;

  /**
   * Keras's own serializable classes and functions (layers, models, initializers, regularizers,
   * constraints, activations, losses, metrics, optimizers), {@code keras-objects.txt} generated
   * from the Keras API by {@code modelseal-scan/tools/generate_keras_objects.py}.
   */
  private static final Set<String> KERAS_OBJECTS = NameList.load("rules/keras-objects.txt");

  /** Layers that read their vocabulary from a file or URL named in their configuration. */
  private static final Set<String> VOCABULARY_LAYERS =
      Set.of("StringLookup", "IntegerLookup", "TextVectorization");

  /** TensorFlow functions a TF-op lambda may name that touch files or run Python. */
  private static final Set<String> DANGEROUS_TF_FUNCTIONS =
      Set.of(
          "io.read_file",
          "io.write_file",
          "io.matching_files",
          "io.gfile",
          "read_file",
          "write_file",
          "py_function",
          "numpy_function",
          "py_func",
          "compat.v1.py_func",
          "print",
          "debugging.assert_equal",
          "summary.create_file_writer",
          "saved_model.load",
          "keras.models.load_model");

  private final Content content;
  private final ScanContext ctx;
  private final String prefix;

  private KerasConfigInspector(Content content, ScanContext ctx, String prefix) {
    this.content = content;
    this.ctx = ctx;
    this.prefix = prefix;
  }

  /**
   * Inspects {@code config}, reporting against {@code content}; {@code prefix} (may be empty) says
   * where in the content the configuration is, before each finding's JSON path.
   */
  static void inspect(JsonNode config, Content content, ScanContext ctx, String prefix) {
    new KerasConfigInspector(content, ctx, prefix).walk(config, "$", 0);
  }

  private void report(String rule, Severity severity, String path, String message) {
    report(rule, severity, path, message, null);
  }

  private void report(
      String rule, Severity severity, String path, String message, ScanAllowlist.Subject subject) {
    String at = prefix.isEmpty() ? path : prefix + " " + path;
    ctx.finding(content, rule, severity, at, message, subject);
  }

  /** True when {@code n} looks like a Keras configuration (a class with a config). */
  static boolean isKerasConfig(JsonNode n) {
    return n != null
        && n.isObject()
        && n.path("class_name").isTextual()
        && (n.has("config") || n.has("module"));
  }

  private void walk(JsonNode n, String path, int depth) {
    if (depth > MAX_DEPTH) {
      report(
          "keras.malformed",
          Severity.MEDIUM,
          path,
          "configuration nested deeper than " + MAX_DEPTH + " levels; not inspected further");
      return;
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), path + "[" + i + "]", depth + 1);
      }
      return;
    }
    if (n.isTextual()) {
      if (n.textValue().contains("enable_unsafe_deserialization")) {
        report(
            "keras.unsafe-deserialization",
            Severity.CRITICAL,
            path,
            "names enable_unsafe_deserialization: loading would turn Keras's safe mode off");
      }
      return;
    }
    if (!n.isObject()) {
      return;
    }
    inspectObject(n, path);
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      walk(e.getValue(), path + "." + e.getKey(), depth + 1);
    }
  }

  private void inspectObject(JsonNode n, String path) {
    String className = n.path("class_name").isTextual() ? n.path("class_name").textValue() : null;
    String module = n.path("module").isTextual() ? n.path("module").textValue() : null;
    String registered =
        n.path("registered_name").isTextual() ? n.path("registered_name").textValue() : null;
    String where = path + layerName(n);
    if (module != null) {
      String top = topLevel(module);
      if (module.equals("keras.config") || module.startsWith("keras.src.saving")) {
        report(
            "keras.unsafe-deserialization",
            Severity.CRITICAL,
            where,
            "refers to "
                + module
                + "."
                + String.valueOf(n.path("config").asText(className))
                + ": loading would call into Keras's own deserialization switches");
      } else if (module.equals("builtins")
          && "function".equals(className)
          && n.path("config").isTextual()) {
        builtinFunction(n.path("config").textValue(), path, where);
      } else if (!top.equals("keras") && !top.equals("tf_keras")) {
        // Rated like a pickle global: the module and the attribute Keras takes from it.
        String attribute =
            "function".equals(className) && n.path("config").isTextual()
                ? n.path("config").textValue()
                : className == null ? "" : className;
        boolean dangerous =
            ImportPolicy.rate(module, attribute.isEmpty() ? "*" : attribute)
                == ImportRating.DANGEROUS;
        report(
            "keras.module",
            dangerous ? Severity.CRITICAL : Severity.HIGH,
            where,
            "refers to module '"
                + module
                + "'"
                + (className == null ? "" : " (" + className + ")")
                + ": Keras imports it while loading");
      }
    }
    if (registered != null
        && className != null
        && !registered.equals(className)
        && !registered.equals("function")
        && registered.contains(">")) {
      report(
          "keras.custom-object",
          Severity.MEDIUM,
          where,
          "custom object '"
              + registered
              + "': its code is not in the file; the application must have installed and"
              + " registered it, and what it does cannot be told",
          ScanAllowlist.Subject.customObject(registered));
    }
    if (className == null) {
      return;
    }
    if (className.equals("Lambda")) {
      report(
          "keras.lambda",
          Severity.HIGH,
          where,
          "Lambda layer: carries Python code (marshalled bytecode or a function name) that runs"
              + " when the model is built");
    } else if (className.equals("TFOpLambda") || className.equals("SlicingOpLambda")) {
      String function = n.path("config").path("function").asText("");
      boolean bad = DANGEROUS_TF_FUNCTIONS.contains(function.toLowerCase(Locale.ROOT));
      report(
          "keras.tf-op",
          bad ? Severity.CRITICAL : Severity.HIGH,
          where,
          className + " calls TensorFlow function '" + function + "' when the model is built");
    } else if (module == null && isLayerEntry(path) && !KERAS_OBJECTS.contains(className)) {
      report(
          "keras.custom-object",
          Severity.MEDIUM,
          where,
          "layer class '"
              + className
              + "' is not one of Keras's own: its code is not in the file; the application"
              + " must have installed and registered it, and what it does cannot be told",
          ScanAllowlist.Subject.customObject(className));
    } else if ((module == null || isKerasModule(module))
        && isComponentEntry(path)
        && !KERAS_OBJECTS.contains(className)) {
      report(
          "keras.custom-object",
          Severity.MEDIUM,
          where,
          "'"
              + className
              + "' is not one of Keras's own initializers, regularizers or constraints: its code"
              + " is not in the file; the application must have installed and registered it",
          ScanAllowlist.Subject.customObject(className));
    }
    if (VOCABULARY_LAYERS.contains(className)) {
      JsonNode vocabulary = n.path("config").path("vocabulary");
      if (vocabulary.isTextual()) {
        report(
            "keras.vocabulary-file",
            Severity.HIGH,
            where,
            className
                + " reads its vocabulary from '"
                + PickleScan.printable(vocabulary.textValue())
                + "' (a file or URL, through tf.io.gfile) while the model loads");
      }
    }
  }

  /**
   * A function saved by name ({@code "module": "builtins", "class_name": "function"}): how Keras
   * writes every plain function (module {@code builtins} is the type's, not an import). Keras looks
   * the name up among its own activations, losses, metrics, ... and then among the application's
   * custom objects; Keras 3 releases that import the module a config names would return Python's
   * {@code builtins.<name>}, so a dangerous builtin there stays critical. A name that is none of
   * Keras's own is a custom function the application must supply: low when only {@code
   * compile_config} (training) uses it, which {@code load_model(compile=False)} skips, medium
   * elsewhere.
   */
  private void builtinFunction(String function, String path, String where) {
    if (ImportPolicy.rate("builtins", function) == ImportRating.DANGEROUS) {
      report(
          "keras.module",
          Severity.CRITICAL,
          where,
          "refers to function '"
              + PickleScan.printable(function)
              + "' of module 'builtins': Keras releases that import the module named take"
              + " builtins."
              + PickleScan.printable(function)
              + " while loading");
    } else if (!KERAS_OBJECTS.contains(function)) {
      boolean compileOnly = path.startsWith("$.compile_config");
      report(
          "keras.custom-object",
          compileOnly ? Severity.LOW : Severity.MEDIUM,
          where,
          "function '"
              + PickleScan.printable(function)
              + "' is not one of Keras's own: its code is not in the file; the application must"
              + " supply it (custom_objects or registration)"
              + (compileOnly
                  ? ", and only compiling uses it (load_model(compile=False) does not look it up)"
                  : ", and what it does cannot be told"),
          ScanAllowlist.Subject.customObject(function));
    }
  }

  /** A layer entry: an element of a {@code layers} array (the path ends at the element). */
  private static boolean isLayerEntry(String path) {
    if (!path.endsWith("]")) {
      return false;
    }
    int b = path.lastIndexOf('[');
    return b > 0 && path.startsWith(".layers", b - ".layers".length());
  }

  /**
   * The value of a layer's {@code *_initializer}, {@code *_regularizer} or {@code *_constraint}.
   */
  private static boolean isComponentEntry(String path) {
    int dot = path.lastIndexOf('.');
    String key = dot < 0 ? path : path.substring(dot + 1);
    return key.endsWith("_initializer")
        || key.endsWith("_regularizer")
        || key.endsWith("_constraint")
        || key.equals("initializer")
        || key.equals("regularizer")
        || key.equals("constraint");
  }

  private static boolean isKerasModule(String module) {
    String top = topLevel(module);
    return top.equals("keras") || top.equals("tf_keras");
  }

  private static String layerName(JsonNode n) {
    JsonNode name = n.path("config").path("name");
    return name.isTextual() ? " (layer '" + name.textValue() + "')" : "";
  }

  private static String topLevel(String module) {
    int dot = module.indexOf('.');
    return dot < 0 ? module : module.substring(0, dot);
  }
}
