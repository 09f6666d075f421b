package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TorchScript source, the {@code code/} members of a {@code torch.jit.save} archive that {@code
 * torch.jit.load} compiles and runs (a module's {@code __setstate__} runs while it loads). The
 * source is tokenized ({@link TorchScriptLexer}) and every dotted name is rated. Rule ids:
 *
 * <ul>
 *   <li>{@code torchscript.file-access} (high): a name that reads or writes files, opens the
 *       network or loads code: {@code torch.from_file} (and any {@code *.from_file}), {@code open},
 *       {@code torch.save}/{@code torch.load}, {@code torch.jit.load}/{@code save}, {@code
 *       torch.hub}, {@code torch.distributed}, {@code load_library}, torchvision's {@code
 *       image.read_file}/{@code write_file}, the Python modules {@code os}, {@code subprocess},
 *       {@code sys}, {@code builtins} and {@code eval}/{@code exec}/{@code __import__};
 *   <li>{@code torchscript.custom-op} (medium): an operator {@code ops.NS.op} or class {@code
 *       torch.classes.NS.C} of a namespace that is not PyTorch's own: native code the application
 *       must have loaded, whose effect cannot be told from the file;
 *   <li>{@code torchscript.malformed} (medium): source that is not UTF-8, cannot be tokenized, or
 *       is larger than {@link #MAX_BYTES}.
 * </ul>
 *
 * Claimed by content: a member of an archive whose text starts like TorchScript's printed code (a
 * first token {@code class}, {@code def}, {@code op_version_set}, {@code import} or {@code from}).
 * Standard compiled module code (calls to {@code torch.*} operators, {@code ops.prim.*}, the
 * module's own {@code __torch__} classes) gives no finding.
 */
public final class TorchScriptRule implements FormatRule {
  /** The largest code member read (16 MiB). */
  static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final Set<String> FIRST_WORDS =
      Set.of("class", "def", "op_version_set", "import", "from");

  /** Exact dotted names and prefixes (a name equal to one, or starting with one and a dot). */
  private static final Set<String> FILE_ACCESS =
      Set.of(
          "torch.from_file",
          "torch.save",
          "torch.load",
          "torch.jit.load",
          "torch.jit.save",
          "torch.hub",
          "torch.distributed",
          "torch.ops.load_library",
          "torch.classes.load_library",
          "torch._C",
          "torch.utils.cpp_extension",
          "ops.aten.from_file",
          "ops.aten.save",
          "ops.image.read_file",
          "ops.image.write_file",
          "os",
          "subprocess",
          "sys",
          "builtins");

  /** Python modules among {@link #FILE_ACCESS}: only an attribute of them counts. */
  private static final Set<String> MODULES = Set.of("os", "subprocess", "sys", "builtins");

  /** Python builtins that open files or run code: only a call counts. */
  private static final Set<String> BUILTINS =
      Set.of("open", "eval", "exec", "compile", "__import__", "from_file");

  /** PyTorch's own operator and class namespaces ({@code ops.NS}, {@code torch.classes.NS}). */
  private static final Set<String> TORCH_NAMESPACES =
      Set.of(
          "aten",
          "prim",
          "prims",
          "quantized",
          "_quantized",
          "quantized_decomposed",
          "profiler",
          "mkldnn",
          "mkl",
          "onednn",
          "xnnpack",
          "prepacked",
          "sparse",
          "_caffe2",
          "cuda",
          "_nested",
          "rngprims",
          "higher_order",
          "image");

  @Override
  public String format() {
    return "torchscript";
  }

  @Override
  public boolean claims(Content c) {
    if (c.depth() == 0 || c.headLength() == 0) {
      return false;
    }
    int i = 0;
    while (i < c.headLength() && Character.isWhitespace(c.headByte(i))) {
      i++;
    }
    int b = i;
    while (i < c.headLength()
        && (Character.isLetterOrDigit(c.headByte(i)) || c.headByte(i) == '_')) {
      i++;
    }
    if (i == b || i >= c.headLength() || c.headByte(i) != ' ' && c.headByte(i) != '=') {
      return false;
    }
    String word = new String(c.head(), b, i - b, StandardCharsets.US_ASCII);
    if (!FIRST_WORDS.contains(word)) {
      return false;
    }
    for (int k = 0; k < c.headLength(); k++) {
      int ch = c.headByte(k);
      if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t' || ch == 0x7F) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    byte[] bytes =
        TextContent.read(c, ctx, MAX_BYTES, "torchscript.malformed", "TorchScript source");
    if (bytes == null) {
      return;
    }
    String source = TextContent.utf8(bytes);
    if (source == null) {
      malformed(c, ctx, "TorchScript source is not UTF-8; not inspected");
      return;
    }
    List<TorchScriptLexer.Token> tokens;
    try {
      tokens = TorchScriptLexer.tokens(source);
    } catch (IllegalArgumentException e) {
      malformed(c, ctx, "TorchScript source cannot be tokenized: " + e.getMessage());
      return;
    }
    Map<String, Integer> fileAccess = new LinkedHashMap<>();
    Map<String, Integer> customOps = new LinkedHashMap<>();
    for (int k = 0; k < tokens.size(); k++) {
      TorchScriptLexer.Token t = tokens.get(k);
      if (t.type() != TorchScriptLexer.Type.NAME || k > 0 && isDot(tokens.get(k - 1))) {
        continue;
      }
      StringBuilder name = new StringBuilder(t.text());
      int j = k + 1;
      while (j + 1 < tokens.size()
          && isDot(tokens.get(j))
          && tokens.get(j + 1).type() == TorchScriptLexer.Type.NAME) {
        name.append('.').append(tokens.get(j + 1).text());
        j += 2;
      }
      String dotted = name.toString();
      boolean called =
          j < tokens.size()
              && tokens.get(j).type() == TorchScriptLexer.Type.OP
              && tokens.get(j).text().equals("(");
      boolean defined = k > 0 && tokens.get(k - 1).text().equals("def");
      if (!defined && isFileAccess(dotted, called)) {
        fileAccess.putIfAbsent(dotted, t.line());
      } else {
        String ns = customNamespace(dotted);
        if (ns != null) {
          customOps.putIfAbsent(dotted, t.line());
        }
      }
      k = j - 1;
    }
    for (Map.Entry<String, Integer> e : fileAccess.entrySet()) {
      ctx.finding(
          c,
          "torchscript.file-access",
          Severity.HIGH,
          "line " + e.getValue(),
          "TorchScript code uses "
              + PickleScan.printable(e.getKey())
              + ", which reads or writes files, opens the network or loads code; torch.jit.load"
              + " compiles it and runs it when the module is used or restored (__setstate__)");
    }
    for (Map.Entry<String, Integer> e : customOps.entrySet()) {
      ctx.finding(
          c,
          "torchscript.custom-op",
          Severity.MEDIUM,
          "line " + e.getValue(),
          "TorchScript code calls "
              + PickleScan.printable(e.getKey())
              + ", a custom operator or class: native code the application must have loaded;"
              + " what it does cannot be told from the file");
    }
  }

  private static boolean isDot(TorchScriptLexer.Token t) {
    return t.type() == TorchScriptLexer.Type.OP && t.text().equals(".");
  }

  /**
   * True when {@code dotted} (called when {@code called}) is file, network or code access. Python
   * builtins count when called, Python modules when an attribute of them is used (a local variable
   * named {@code os} is not the module), {@code torch} names always.
   */
  static boolean isFileAccess(String dotted, boolean called) {
    if (dotted.endsWith(".from_file")) {
      return true;
    }
    if (BUILTINS.contains(dotted)) {
      return called;
    }
    String n = dotted.startsWith("torch.ops.") ? dotted.substring("torch.".length()) : dotted;
    for (String entry : FILE_ACCESS) {
      if (n.equals(entry) && !MODULES.contains(entry)
          || n.startsWith(entry + ".")
          || dotted.startsWith(entry + ".")) {
        return true;
      }
    }
    return n.endsWith(".load_library");
  }

  /** The namespace of a custom {@code ops.NS.op} or {@code torch.classes.NS...}, or null. */
  static String customNamespace(String dotted) {
    String n = dotted.startsWith("torch.") ? dotted.substring("torch.".length()) : dotted;
    String rest;
    if (n.startsWith("ops.")) {
      rest = n.substring(4);
    } else if (n.startsWith("classes.")) {
      rest = n.substring(8);
    } else {
      return null;
    }
    int dot = rest.indexOf('.');
    if (dot < 0) {
      return null;
    }
    String ns = rest.substring(0, dot);
    return TORCH_NAMESPACES.contains(ns) ? null : ns;
  }

  private static void malformed(Content c, ScanContext ctx, String reason) {
    ctx.finding(c, "torchscript.malformed", Severity.MEDIUM, "", reason);
  }
}
