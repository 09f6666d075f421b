package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.IntegrityException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationException;
import dev.modelseal.oms.SignatureVerificationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * How every failure leaves the tool: one line {@code modelseal: FILE: reason} (or {@code modelseal:
 * reason}) on standard error, the documented exit code, and with {@code --json} (or {@code --format
 * json}) also an error object ({@code modelseal.dev/error/v1}) on standard output, so a CI that
 * parses the output always gets JSON. Exit code 1 only for a model that is not the approved one;
 * every input that could not be used, usage errors included, is 2.
 */
final class ErrorReporting {
  /** The {@code schema} of the error object. */
  static final String ERROR_SCHEMA = "modelseal.dev/error/v1";

  private ErrorReporting() {}

  /** Installs the handlers on {@code cl}; {@code args} are the raw arguments (to spot --json). */
  static void install(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
    boolean json = wantsJson(args);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          int code = exitCode(ex);
          String message = Printable.of(describe(ex));
          err.println("modelseal: " + message);
          if (System.getenv("MODELSEAL_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          err.flush();
          if (json && code == Main.ERROR) {
            printJson(out, code, ex instanceof ModelsealException m ? m : null, message);
          }
          return code;
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          String message = Printable.of(withoutInternals(ex.getMessage()));
          err.println("modelseal: " + message);
          err.println("Try '" + qualifiedName(ex.getCommandLine()) + " --help' for usage.");
          err.flush();
          if (json) {
            printJson(out, Main.ERROR, null, message);
          }
          return Main.ERROR;
        });
  }

  /**
   * The exit code for a failure: {@link Main#MISMATCH} for an integrity failure that means the
   * model is not the approved one, {@link Main#ERROR} for everything else, including a signature or
   * attestation file that is not usable at all (empty, not JSON, too large, another format).
   */
  static int exitCode(Throwable ex) {
    if (ex instanceof SignatureVerificationException s) {
      return s.failure().unusableInput() ? Main.ERROR : Main.MISMATCH;
    }
    if (ex instanceof AttestationException a) {
      return a.failure().unusableInput() ? Main.ERROR : Main.MISMATCH;
    }
    return ex instanceof IntegrityException ? Main.MISMATCH : Main.ERROR;
  }

  /** True when {@code e} is an integrity failure that the caller reports as "not verified". */
  static boolean refusesModel(IntegrityException e) {
    return exitCode(e) == Main.MISMATCH;
  }

  /** The one-line message for {@code ex}, without the {@code modelseal: } prefix. */
  static String describe(Throwable ex) {
    if (ex instanceof ModelsealException m) {
      return m.getMessage();
    }
    if (ex instanceof IllegalArgumentException && ex.getMessage() != null) {
      return withoutInternals(ex.getMessage());
    }
    if (ex instanceof UncheckedIOException u) {
      return ModelIoException.describe(u.getCause());
    }
    if (ex instanceof IOException io) {
      return ModelIoException.describe(io);
    }
    return "internal error ("
        + ex.getClass().getSimpleName()
        + "); run with MODELSEAL_DEBUG=1 for details";
  }

  /**
   * Cuts a parenthesised Java exception that picocli appends to conversion errors ({@code cannot
   * convert 'x' to Path (java.nio.file.InvalidPathException: ...)}): the reason before it is the
   * part meant for people.
   */
  static String withoutInternals(String message) {
    if (message == null) {
      return "invalid arguments";
    }
    for (String marker : new String[] {" (java.", " (javax.", " (com.", " (picocli."}) {
      int i = message.indexOf(marker);
      if (i > 0) {
        int colon = message.indexOf(": ", i);
        int close = message.lastIndexOf(')');
        String inner = colon > 0 && close > colon ? message.substring(colon + 2, close) : "";
        return message.substring(0, i) + (inner.isEmpty() ? "" : ": " + inner);
      }
    }
    return message;
  }

  /** True when the arguments ask for JSON output: {@code --json} or {@code --format json}. */
  static boolean wantsJson(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")
          || a.equals("--format=json")
          || (a.equals("--format") && i + 1 < args.length && args[i + 1].equals("json"))) {
        return true;
      }
    }
    return false;
  }

  private static void printJson(PrintWriter out, int code, ModelsealException m, String message) {
    out.println(Json.pretty(errorJson(code, m, message)));
    out.flush();
  }

  /** The error document ({@code docs/schemas/error.v1.json}) of a failure. */
  static ObjectNode errorJson(int code, ModelsealException m, String message) {
    ObjectNode o = Json.object();
    o.put("schema", ERROR_SCHEMA);
    o.put("exitCode", code);
    if (m != null && m.file().isPresent()) {
      o.put("file", m.file().get().toString());
      o.put("reason", m.reason());
    }
    o.put("message", message);
    return o;
  }

  private static String qualifiedName(CommandLine cl) {
    String q = cl == null ? null : cl.getCommandSpec().qualifiedName();
    return q == null ? "modelseal" : q;
  }
}
