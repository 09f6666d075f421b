package dev.modelseal.scan.rules;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.flax.FlaxReader;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;

/**
 * JAX/Flax msgpack checkpoints ({@code flax.serialization.to_bytes}, Hugging Face's {@code
 * flax_model.msgpack}, Orbax's msgpack aggregate files): msgpack is data only, and {@code
 * flax.serialization.msgpack_restore} turns its extensions into NumPy arrays with {@code
 * np.frombuffer} (which refuses object dtypes) and nothing else, so loading one runs no code. The
 * whole file is walked by the fingerprinting reader ({@link FlaxReader}: every value bounded, one
 * top-level value, no trailing bytes); a file it reads is clean. Rule ids: {@code flax.malformed}
 * (medium: not one well-formed msgpack value, for example bytes after it, which would make a
 * polyglot), {@code flax.limit} (medium: past a reader limit, not walked to the end), {@code
 * flax.unsupported} (low: well-formed msgpack that flax would still load as data, such as an
 * extension type or a dtype without a canonical form).
 */
public final class FlaxMsgpackRule implements FormatRule {
  @Override
  public String format() {
    return "flax-msgpack";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.FLAX, c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    try (TensorModel m = FlaxReader.open(file, ReadLimits.defaults())) {
      m.tensors(); // read: the walk above checked every value
    } catch (MalformedModelException e) {
      finding(c, ctx, "flax.malformed", Severity.MEDIUM, e);
    } catch (LimitExceededException e) {
      finding(c, ctx, "flax.limit", Severity.MEDIUM, e);
    } catch (ModelIoException e) {
      throw new IOException(e.getMessage(), e);
    } catch (ModelsealException e) {
      finding(c, ctx, "flax.unsupported", Severity.LOW, e);
    }
  }

  private static void finding(
      Content c, ScanContext ctx, String rule, Severity severity, ModelsealException e) {
    ctx.finding(c, rule, severity, "", reason(e));
  }

  /** The reader's reason without the file name (the finding names the file). */
  private static String reason(ModelsealException e) {
    return e.reason();
  }
}
