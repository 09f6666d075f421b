package dev.modelseal.formats;

import dev.modelseal.ModelsealException;
import java.nio.file.Path;

/**
 * The service-provider interface of one tensor format: {@link #sniff} recognises the format from
 * content (never from a file name) and {@link #open} reads it. {@link FormatDetector} finds the
 * implementations through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.modelseal.formats.FormatReader}) and asks them in {@link #precedence()}
 * order; the scanner's routing rules call the same {@link #sniff} on the head of a stream, so the
 * detector and the scanner give one answer for one content.
 *
 * <p>Adding a format: a class implementing this interface in the reader's package, one line in the
 * services file, a {@link Format} constant. Implementations are stateless and thread-safe; {@link
 * #sniff} reads at most the probe's head, or for a probe with a {@linkplain FormatProbe#path()
 * path} a bounded part of the file, and never throws for content that is not its format.
 *
 * <p>Guarantee of {@link #open}: the returned model passed the reader's full validation; anything
 * else is a {@link FormatException} (or {@link dev.modelseal.ModelIoException}) naming the file.
 */
public interface FormatReader {
  /** The format this reader opens. */
  Format format();

  /**
   * Where this reader is asked among the others, lowest first, so that more specific content tests
   * run before more general ones (the built-in readers use 100 to 1300 in steps of 100).
   */
  int precedence();

  /** True when the probed content is this reader's format. */
  boolean sniff(FormatProbe probe) throws ModelsealException;

  /**
   * True when the content is no format's ({@link #sniff} said no everywhere) but looks enough like
   * this one that its reader should say precisely what is wrong with it. Asked after every {@link
   * #sniff}, in precedence order; false by default.
   */
  default boolean sniffDamaged(FormatProbe probe) throws ModelsealException {
    return false;
  }

  /** Opens and validates the model at {@code path} (a file or, for some formats, a directory). */
  TensorModel open(Path path, ReadLimits limits) throws ModelsealException;
}
