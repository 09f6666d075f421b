package dev.modelseal.pkcs11;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a token's PIN comes from, in this order: the URI's {@code pin-source=file:PATH} (the file's
 * UTF-8 text without one trailing newline), the URI's {@code pin-value} (discouraged: a URI on a
 * command line is visible to other users of the machine), then the environment variable {@link
 * #ENVIRONMENT_VARIABLE}. The PIN is returned as a {@code char[]} for the caller to clear.
 */
public final class Pkcs11Pin {
  /** The environment variable holding a PIN when the URI names none. */
  public static final String ENVIRONMENT_VARIABLE = "MODELSEAL_PKCS11_PIN";

  private Pkcs11Pin() {}

  /**
   * The PIN for {@code uri}, or null when none is given (a token that needs one then refuses).
   *
   * @param environment the process environment ({@link System#getenv()})
   * @throws InvalidInputException when the PIN file cannot be read or is empty
   */
  public static char[] resolve(Pkcs11Uri uri, Map<String, String> environment)
      throws ModelsealException {
    var source = uri.attribute("pin-source");
    if (source.isPresent()) {
      String s = source.get().substring("file:".length());
      if (s.startsWith("//")) {
        if (!s.startsWith("///")) {
          throw new InvalidInputException(
              null, "PKCS#11 URI: pin-source must be a local file (file:/path or file:///path)");
        }
        s = s.substring(2);
      }
      if (!s.startsWith("/")) {
        throw new InvalidInputException(null, "PKCS#11 URI: pin-source must name an absolute path");
      }
      return PemFiles.readPassword(Path.of(s));
    }
    if (uri.hasPinValue()) {
      return uri.pinValue();
    }
    String env = environment.get(ENVIRONMENT_VARIABLE);
    return env == null || env.isEmpty() ? null : env.toCharArray();
  }
}
