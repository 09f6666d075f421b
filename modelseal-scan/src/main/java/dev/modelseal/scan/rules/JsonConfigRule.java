package dev.modelseal.scan.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.closure.LoadClosure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON objects: a Keras configuration (a {@code .keras} archive's {@code config.json}) is inspected
 * by {@link KerasConfigInspector}; a TF.js {@code model.json} has its {@code modelTopology}
 * inspected the same way (layers models) or its graph nodes rated like a SavedModel's (graph
 * models, {@code tfjs.python-op}, {@code tfjs.file-op}, {@code tfjs.unregistered-op}); the chat
 * templates of a {@code tokenizer_config.json} or {@code chat_template.json} ({@code
 * json.chat-template}, {@code json.template-injection}: {@link ChatTemplates}). Any other JSON
 * object (metadata, an index of shards) carries no code and gives no finding. Rule ids: those of
 * the inspector, the three above, {@code json.malformed} (medium: starts like JSON but is not
 * valid, or is larger than {@link #MAX_BYTES}).
 */
public final class JsonConfigRule implements FormatRule {
  /** The largest JSON document parsed (64 MiB). */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  @Override
  public String format() {
    return "json";
  }

  @Override
  public boolean claims(Content c) {
    int i = 0;
    if (c.headLength() >= 3
        && c.headByte(0) == 0xEF
        && c.headByte(1) == 0xBB
        && c.headByte(2) == 0xBF) {
      i = 3;
    }
    while (i < c.headLength()) {
      int b = c.headByte(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        i++;
        continue;
      }
      return (b == '{' && looksLikeJsonKey(c, i + 1)) || (b == '[' && startsObject(c, i + 1));
    }
    return false;
  }

  /**
   * After {@code [}: whitespace, then {@code {}, as a TF.js weights manifest on its own (a top-level
   * array of {@code {paths, weights}} groups) starts.
   */
  private static boolean startsObject(Content c, int i) {
    while (i < c.headLength()) {
      int b = c.headByte(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        i++;
        continue;
      }
      return b == '{';
    }
    return true;
  }

  /** After {@code {}: whitespace, then {@code "} or {@code }}, as every JSON object starts. */
  private static boolean looksLikeJsonKey(Content c, int i) {
    while (i < c.headLength()) {
      int b = c.headByte(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        i++;
        continue;
      }
      return b == '"' || b == '}';
    }
    return true;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    byte[] bytes = TextContent.read(c, ctx, MAX_BYTES, "json.malformed", "JSON");
    if (bytes == null) {
      return;
    }
    int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF ? 3 : 0;
    JsonNode root;
    try {
      root = StrictJson.parseValue(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    } catch (IllegalArgumentException e) {
      ctx.finding(c, "json.malformed", Severity.MEDIUM, "", e.getMessage());
      return;
    }
    if (root.isArray()) {
      weightShards(root, c, ctx);
      return;
    }
    if (!root.isObject()) {
      ctx.finding(c, "json.malformed", Severity.MEDIUM, "", "not a JSON object or array");
      return;
    }
    weightShards(root.path("weightsManifest"), c, ctx);
    zarrArray(root, c, ctx);
    chatTemplates(root, c, ctx);
    loadClosure(root, c, ctx);
    if (KerasConfigInspector.isKerasConfig(root)) {
      KerasConfigInspector.inspect(root, c, ctx, "");
      return;
    }
    JsonNode topology = root.get("modelTopology");
    if (topology == null || !topology.isObject()) {
      return;
    }
    if (KerasConfigInspector.isKerasConfig(topology)) {
      KerasConfigInspector.inspect(topology, c, ctx, "modelTopology");
    } else if (KerasConfigInspector.isKerasConfig(topology.get("model_config"))) {
      KerasConfigInspector.inspect(
          topology.get("model_config"), c, ctx, "modelTopology.model_config");
    } else {
      graphNodes(topology, c, ctx);
    }
  }

  /**
   * What the config makes its loader run ({@code load.remote-code}, high: {@code auto_map} classes,
   * diffusers custom components and pipelines, {@code trust_remote_code}) and the base models it
   * makes the loader fetch ({@code load.base-model}, info): {@link LoadClosure}.
   */
  private static void loadClosure(JsonNode root, Content c, ScanContext ctx) {
    Path dir = c.depth() == 0 ? c.path().map(Path::getParent).orElse(null) : null;
    LoadClosure closure = LoadClosure.of(root, dir);
    for (LoadClosure.RemoteCode rc : closure.code()) {
      String message;
      if (rc.where().equals("trust_remote_code")) {
        message = "asks loaders for trust_remote_code=True: the model's own Python code would run";
      } else if (rc.reference().contains("--")) {
        message =
            "loading with trust_remote_code runs "
                + rc.reference()
                + ", code fetched from another repository when loaded";
      } else if (rc.present()) {
        List<String> imports = rc.imports();
        message =
            "loading with trust_remote_code runs "
                + rc.reference()
                + " from "
                + rc.file()
                + " (imports: "
                + (imports.isEmpty() ? "none" : String.join(", ", imports))
                + ")";
      } else {
        message =
            "loading with trust_remote_code runs "
                + rc.reference()
                + (rc.file().isEmpty()
                    ? ""
                    : " from " + rc.file() + ", which is not in the model (fetched when loaded)");
      }
      ctx.finding(c, "load.remote-code", Severity.HIGH, rc.where(), message);
    }
    for (LoadClosure.Dependency d : closure.dependencies()) {
      if (d.fetched() && !d.field().startsWith("auto_map")) {
        ctx.finding(
            c,
            "load.base-model",
            Severity.INFO,
            d.field(),
            "the loader fetches "
                + d.name()
                + (d.revision().isEmpty()
                    ? " (no revision pinned)"
                    : " at revision " + d.revision()));
      }
    }
  }

  /**
   * A TF.js weights manifest (in a {@code model.json} or on its own, as {@code tf.io.loadWeights}
   * reads it): the shard files its groups' {@code paths} name are the model's own tensor data, so a
   * shard no rule reads is listed as data of the model instead of unknown content.
   */
  private static void weightShards(JsonNode manifest, Content c, ScanContext ctx) {
    for (JsonNode group : manifest) {
      for (JsonNode path : group.path("paths")) {
        if (path.isTextual()) {
          ctx.externalData(c, path.textValue());
        }
      }
    }
  }

  /**
   * A zarr array's metadata (zarr v3 {@code zarr.json} with {@code node_type: array}, as Orbax and
   * tensorstore write each array of a checkpoint; zarr v2 {@code .zarray} with {@code zarr_format:
   * 2}): the chunk files beside it are the array's bytes, which the loader decodes with the
   * metadata's codecs into numbers and never runs, so a chunk no rule reads is listed as data of
   * the array instead of unknown content. Chunk names follow the metadata's key encoding.
   */
  private static void zarrArray(JsonNode root, Content c, ScanContext ctx) {
    JsonNode format = root.get("zarr_format");
    if (format == null || !format.isInt()) {
      return;
    }
    if (format.intValue() == 3 && "array".equals(root.path("node_type").asText(""))) {
      JsonNode encoding = root.path("chunk_key_encoding");
      String name = encoding.path("name").asText("default");
      String separator =
          encoding
              .path("configuration")
              .path("separator")
              .asText("default".equals(name) ? "/" : ".");
      if ((name.equals("default") || name.equals("v2"))
          && (separator.equals("/") || separator.equals("."))) {
        ctx.zarrArray(c, name.equals("default"), separator.charAt(0));
      }
    } else if (format.intValue() == 2 && root.has("chunks") && root.has("dtype")) {
      String separator = root.path("dimension_separator").asText(".");
      if (separator.equals("/") || separator.equals(".")) {
        ctx.zarrArray(c, false, separator.charAt(0));
      }
    }
  }

  /**
   * The chat templates of a {@code tokenizer_config.json} or {@code chat_template.json}: {@code
   * chat_template} as a string, or a list of {@code {"name", "template"}} objects.
   */
  private static void chatTemplates(JsonNode root, Content c, ScanContext ctx) {
    JsonNode t = root.get("chat_template");
    if (t == null) {
      return;
    }
    if (t.isTextual()) {
      ChatTemplates.report(c, ctx, "json", "chat_template", t.textValue());
    } else if (t.isArray()) {
      for (int i = 0; i < t.size(); i++) {
        JsonNode template = t.get(i).path("template");
        if (template.isTextual()) {
          String name = t.get(i).path("name").asText("");
          ChatTemplates.report(
              c,
              ctx,
              "json",
              "chat_template[" + i + "]" + (name.isEmpty() ? "" : " '" + name + "'"),
              template.textValue());
        }
      }
    }
  }

  /** A TF.js graph model: {@code node[]} and {@code library.function[].nodeDef[]}. */
  private static void graphNodes(JsonNode topology, Content c, ScanContext ctx) {
    Set<String> functions = new HashSet<>();
    for (JsonNode f : topology.path("library").path("function")) {
      String name = f.path("signature").path("name").asText("");
      if (!name.isEmpty()) {
        functions.add(name);
      }
    }
    rate(topology.path("node"), "", functions, c, ctx);
    for (JsonNode f : topology.path("library").path("function")) {
      rate(f.path("nodeDef"), f.path("signature").path("name").asText(""), functions, c, ctx);
    }
  }

  private static void rate(
      JsonNode nodes, String function, Set<String> functions, Content c, ScanContext ctx) {
    for (JsonNode n : nodes) {
      String op = n.path("op").asText("");
      if (op.isEmpty()) {
        continue;
      }
      String where =
          "node '"
              + n.path("name").asText("")
              + "'"
              + (function.isEmpty() ? "" : " in function '" + function + "'");
      TensorFlowOps.reportTfjs(c, ctx, op, where, functions);
    }
  }
}
