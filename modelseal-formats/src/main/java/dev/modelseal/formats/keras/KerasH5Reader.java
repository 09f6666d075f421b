package dev.modelseal.formats.keras;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.ReadChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the weights of a Keras HDF5 file ({@code model.save("m.h5")}, {@code
 * model.save_weights("w.h5")} of Keras 2, or a Keras 3 {@code .weights.h5}); see {@link KerasHdf5}
 * for the layouts and tensor names.
 *
 * <p>Guarantee: every tensor of a returned model is a dataset of a numeric or bool type whose data
 * lies inside the file; contiguous data is streamed from the file by positional reads, other
 * layouts are bounded by {@link ReadLimits#inMemoryTensorBytes()}. Any HDF5 parse failure is a
 * {@link dev.modelseal.formats.FormatException} naming the file.
 */
public final class KerasH5Reader {
  private KerasH5Reader() {}

  /** Opens and validates {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(
        file,
        (ch, size) -> {
          KerasHdf5.Result r = KerasHdf5.read(file, ch, 0, size, limits);
          return TensorModel.of(
              file, Format.KERAS_H5, r.tensors(), r.metadata(), List.of(r.closer(), ch));
        });
  }
}
