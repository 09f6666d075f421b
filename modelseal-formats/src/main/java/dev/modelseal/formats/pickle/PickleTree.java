package dev.modelseal.formats.pickle;

import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the tensors (leaves of one type, such as PyTorch's tensor references or joblib's inline
 * arrays) of a resolved pickle tree: dict keys (a state dict), attributes of TorchScript objects
 * (their {@code BUILD} state) and list or tuple indices, joined with {@code .}. Other values
 * (numbers, strings, inert calls) are not weights and are skipped. Depth and visits are bounded by
 * {@link PickleLimits}, so shared subtrees and cycles cannot blow up the walk.
 */
public final class PickleTree<T> {
  private final Path file;
  private final String what;
  private final PickleLimits limits;
  private final Class<T> leaf;
  private final Map<String, T> tensors = new LinkedHashMap<>();
  private long visits;

  private PickleTree(Class<T> leaf, Path file, String what, PickleLimits limits) {
    this.leaf = leaf;
    this.file = file;
    this.what = what;
    this.limits = limits;
  }

  /** The named leaves of type {@code leaf} of {@code root}, in walk order. */
  public static <T> Map<String, T> tensors(
      Object root, Class<T> leaf, Path file, String what, PickleLimits limits)
      throws FormatException {
    PickleTree<T> t = new PickleTree<>(leaf, file, what, limits);
    t.walk(root, "", 0);
    return t.tensors;
  }

  private void walk(Object o, String name, int depth) throws FormatException {
    if (++visits > limits.nodes()) {
      throw new LimitExceededException(file, what + ": values visited", visits, limits.nodes());
    }
    if (depth > limits.depth()) {
      throw new LimitExceededException(file, what + ": nesting depth", depth, limits.depth());
    }
    if (leaf.isInstance(o)) {
      if (tensors.putIfAbsent(name, leaf.cast(o)) != null) {
        throw new MalformedModelException(file, what + ": two tensors are named '" + name + "'");
      }
    } else if (o instanceof PyDict d) {
      for (Map.Entry<Object, Object> e : d.entries()) {
        walk(e.getValue(), join(name, key(e.getKey())), depth + 1);
      }
    } else if (o instanceof PyCall c) {
      // A TorchScript object: its attributes are its BUILD state. Arguments and items of other
      // inert calls are walked too, so that no tensor is silently left out.
      for (Object s : c.states()) {
        walk(s, name, depth + 1);
      }
      items(c.args().items(), name, depth);
      items(c.items(), name, depth);
    } else if (o instanceof PySet s) {
      items(s.items(), name, depth);
    } else if (o instanceof PyList l) {
      items(l.items(), name, depth);
    } else if (o instanceof PyTuple t) {
      items(t.items(), name, depth);
    }
  }

  private void items(List<Object> items, String name, int depth) throws FormatException {
    for (int i = 0; i < items.size(); i++) {
      walk(items.get(i), join(name, Integer.toString(i)), depth + 1);
    }
  }

  private String key(Object k) throws MalformedModelException {
    if (k instanceof String s) {
      return s;
    }
    if (k instanceof Long || k instanceof Boolean) {
      return k.toString();
    }
    throw new MalformedModelException(
        file, what + ": a dict key holding tensors is not a string or integer");
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
