package dev.modelseal.formats.internal;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Opens a model file for reading and hands the channel to a reader: the opening and the clean-up
 * every single-file reader needs.
 *
 * <p>Guarantee: a file that cannot be opened (or sized) is a {@link ModelIoException} naming it;
 * when the reader fails, the channel is closed before the failure propagates; when it succeeds, the
 * channel belongs to what it returned (a {@link TensorModel} closes it).
 */
public final class ReadChannel {
  private ReadChannel() {}

  /** What a reader makes of the open channel. */
  @FunctionalInterface
  public interface Reader<T> {
    /** Reads from {@code channel}, whose size was {@code size} when it was opened. */
    T read(FileChannel channel, long size) throws ModelsealException;
  }

  /** Opens {@code file} and returns what {@code reader} makes of it. */
  public static <T> T read(Path file, Reader<T> reader) throws ModelsealException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    try {
      long size;
      try {
        size = ch.size();
      } catch (IOException e) {
        throw ModelIoException.of(file, e);
      }
      return reader.read(ch, size);
    } catch (ModelsealException | RuntimeException | Error e) {
      TensorModel.closeAll(List.of(ch));
      throw e;
    }
  }
}
