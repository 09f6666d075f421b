package dev.modelseal.formats.tflite;

/**
 * One entry of a model's {@code operator_codes}: the builtin operator number (the larger of {@code
 * deprecated_builtin_code} and {@code builtin_code}, as the TFLite runtime resolves it), the custom
 * code for {@code CUSTOM} operators, and the version. Lets a scanner list custom operators, which
 * run code that is not part of the TFLite runtime.
 *
 * @param builtinCode the BuiltinOperator number ({@link #CUSTOM} for custom operators)
 * @param customCode the custom operator's name, or null when absent
 * @param version the operator version (default 1)
 */
public record TfliteOperatorCode(int builtinCode, String customCode, int version) {
  /** BuiltinOperator {@code CUSTOM}. */
  public static final int CUSTOM = 32;

  /** True for a custom operator. */
  public boolean isCustom() {
    return builtinCode == CUSTOM;
  }
}
