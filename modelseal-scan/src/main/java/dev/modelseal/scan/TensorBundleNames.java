package dev.modelseal.scan;

/**
 * The names of a TensorFlow tensor bundle (what {@code tf.train.Checkpoint}, {@code
 * tf.saved_model.save} and {@code tf.compat.v1.train.Saver} write): an index {@code PREFIX.index}
 * and data shards {@code PREFIX.data-NNNNN-of-MMMMM}. A shard is raw tensor bytes read at the
 * offsets its index gives, so it is tensor data only beside its index; a lone shard is unknown
 * content. Parsed by hand (digits and fixed separators), no regular expression.
 */
public final class TensorBundleNames {
  private static final String DATA = ".data-";
  private static final String OF = "-of-";
  private static final int DIGITS = 5;

  private TensorBundleNames() {}

  /**
   * The name of the index {@code name} (a file or member name, maybe with folders) is a data shard
   * of, or null when it is not named as a shard.
   */
  public static String indexOf(String name) {
    int at = name.lastIndexOf(DATA);
    int slash = name.lastIndexOf('/');
    if (at <= slash + 1) {
      return null;
    }
    int n = at + DATA.length();
    if (name.length() != n + DIGITS + OF.length() + DIGITS
        || !digits(name, n)
        || !name.startsWith(OF, n + DIGITS)
        || !digits(name, n + DIGITS + OF.length())) {
      return null;
    }
    return name.substring(0, at) + ".index";
  }

  private static boolean digits(String s, int from) {
    for (int i = from; i < from + DIGITS; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }
}
