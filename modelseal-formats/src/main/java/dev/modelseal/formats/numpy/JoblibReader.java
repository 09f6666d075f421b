package dev.modelseal.formats.numpy;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.pickle.JoblibArray;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleResolver;
import dev.modelseal.formats.pickle.PickleTree;
import dev.modelseal.formats.pickle.PyCall;
import dev.modelseal.formats.pickle.PyDict;
import dev.modelseal.formats.pickle.PyGlobal;
import dev.modelseal.formats.pickle.PyNone;
import dev.modelseal.formats.pickle.PyTuple;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the NumPy arrays of a {@code joblib.dump} file without executing its pickle: the pickle is
 * interpreted into an inert tree (every call recorded, none made), and after the {@code BUILD} of
 * each {@code NumpyArrayWrapper} the array joblib wrote inline is located and stepped over as
 * joblib's {@code NumpyUnpickler} reads it ({@link JoblibArray}). The arrays are the tensors, named
 * by the dict keys and attribute names that lead to them (a scikit-learn estimator's {@code coef_},
 * {@code intercept_}...), with the same canonical bytes as the same arrays in a {@code .npy}.
 *
 * <p>Guarantee: the pickle ends exactly at the end of the file; every array's layout is checked
 * against the bytes left; arrays of Python objects (a nested pickle, not tensor data) are stepped
 * over and counted in the {@code joblib.object_arrays} metadata; other dtypes without a canonical
 * form (strings, datetimes) are refused. Not read: compressed joblib files (decompress them first)
 * and joblib 0.9's arrays in side files.
 */
public final class JoblibReader {
  private JoblibReader() {}

  /** Opens and validates {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(file, (ch, size) -> read(file, ch, size, limits));
  }

  private static TensorModel read(Path file, FileChannel ch, long size, ReadLimits limits)
      throws ModelsealException {
    PickleLimits pl = PickleLimits.defaults();
    Resolver resolver = new Resolver(file);
    InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
    PickleMachine.Result r = PickleMachine.run(in, size, file, "the pickle", resolver, pl);
    if (r.length() != size) {
      throw new MalformedModelException(
          file, "the file has " + (size - r.length()) + " bytes after the pickle's STOP");
    }
    Map<String, Inline> named = PickleTree.tensors(r.value(), Inline.class, file, "the pickle", pl);
    LimitExceededException.check(file, "tensor count", named.size(), limits.tensors());
    List<TensorSource> sources = new ArrayList<>();
    for (Map.Entry<String, Inline> e : named.entrySet()) {
      Inline a = e.getValue();
      TensorInfo info = TensorInfo.create(e.getKey(), a.dtype, a.shape);
      NpyHeader h = NpyHeader.of(info, a.bigEndian, a.fortran, a.offset);
      sources.add(
          h.needsTranspose()
              ? new NpyReader.MappedFortran(h, ch, file)
              : new RegionSource(info, ch, file, a.offset, a.bigEndian));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (resolver.objectArrays > 0) {
      metadata.put("joblib.object_arrays", Long.toString(resolver.objectArrays));
    }
    return TensorModel.of(file, Format.JOBLIB, sources, metadata, List.of(ch));
  }

  /** An array joblib wrote inline: where its data is and what it holds. */
  private record Inline(
      long offset, DType dtype, long[] shape, boolean bigEndian, boolean fortran) {}

  /** A stepped-over array of Python objects: not a tensor. */
  private record ObjectArray(long offset) {}

  /** Records every call inertly and reads the inline arrays after the wrappers' BUILD. */
  private static final class Resolver implements PickleResolver {
    private final Path file;
    long objectArrays;

    Resolver(Path file) {
      this.file = file;
    }

    @Override
    public Object call(Call c) {
      return c.inert(); // recorded, never made
    }

    @Override
    public Object persistentLoad(Object pid, long offset) throws FormatException {
      throw new UnsupportedModelException(
          file, "the pickle asks for a persistent id at offset " + offset + "; joblib writes none");
    }

    @Override
    public Object built(Object target, InlineData data) throws FormatException {
      if (!(target instanceof PyCall c)
          || !(c.callable() instanceof PyGlobal g)
          || !JoblibArray.isWrapper(g.module(), g.name())) {
        return target;
      }
      long at = data.offset();
      List<Object> states = c.states();
      if (!(states.get(states.size() - 1) instanceof PyDict d)
          || !(d.get("shape") instanceof PyTuple shape)
          || !(d.get("dtype") instanceof PyCall dt)
          || !(dt.callable() instanceof PyGlobal dg)
          || !dg.is("numpy", "dtype")
          || dt.args().size() < 1
          || !(dt.args().get(0) instanceof String descr)
          || !(d.get("order") instanceof String order)) {
        throw bad("its NumpyArrayWrapper has no shape, dtype or order", at);
      }
      String byteOrder = "|";
      long elsize = -1;
      if (!dt.states().isEmpty() && dt.states().get(0) instanceof PyTuple st && st.size() > 5) {
        if (st.get(1) instanceof String bo) {
          byteOrder = bo;
        }
        if (st.get(5) instanceof Long es) {
          elsize = es;
        }
      }
      Object alignment = d.get("numpy_array_alignment_bytes");
      JoblibArray a;
      try {
        a =
            JoblibArray.of(
                shape.items(), descr, elsize, order, alignment != null && alignment != PyNone.NONE);
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage(), at);
      }
      if (data.frameLeft() > 0) {
        throw bad("its data starts inside a FRAME (joblib reads the frame's rest after it)", at);
      }
      if (a.objects()) {
        objectArrays++;
        data.pickle();
        return new ObjectArray(at);
      }
      DType dtype = NpyHeader.dtype(a.kind() + a.itemSize());
      if (dtype == null) {
        throw new UnsupportedModelException(
            file,
            "joblib array at offset " + at + " has dtype '" + descr + "', not a tensor dtype");
      }
      if (a.padded()) {
        data.skip(data.read());
      }
      long offset = data.offset();
      data.skip(a.dataBytes());
      return new Inline(offset, dtype, a.shape(), ">".equals(byteOrder), a.fortran());
    }

    private MalformedModelException bad(String reason, long offset) {
      return new MalformedModelException(file, "joblib array at offset " + offset + ": " + reason);
    }
  }
}
