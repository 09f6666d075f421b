package dev.modelseal.formats.safetensors;

import dev.modelseal.formats.DType;
import java.util.Map;

/** The safetensors dtype names and their canonical dtypes ({@code docs/fingerprint.md}). */
final class SafetensorsDTypes {
  static final Map<String, DType> BY_NAME =
      Map.ofEntries(
          Map.entry("BOOL", DType.BOOL),
          Map.entry("U8", DType.UINT8),
          Map.entry("I8", DType.INT8),
          Map.entry("F8_E5M2", DType.FLOAT8_E5M2),
          Map.entry("F8_E4M3", DType.FLOAT8_E4M3FN),
          Map.entry("F8_E8M0", DType.FLOAT8_E8M0FNU),
          Map.entry("F8_E4M3FNUZ", DType.FLOAT8_E4M3FNUZ),
          Map.entry("F8_E5M2FNUZ", DType.FLOAT8_E5M2FNUZ),
          Map.entry("I16", DType.INT16),
          Map.entry("U16", DType.UINT16),
          Map.entry("F16", DType.FLOAT16),
          Map.entry("BF16", DType.BFLOAT16),
          Map.entry("I32", DType.INT32),
          Map.entry("U32", DType.UINT32),
          Map.entry("F32", DType.FLOAT32),
          Map.entry("F64", DType.FLOAT64),
          Map.entry("I64", DType.INT64),
          Map.entry("U64", DType.UINT64),
          Map.entry("C64", DType.COMPLEX64),
          Map.entry("F4", DType.FLOAT4_E2M1FN),
          Map.entry("F6_E2M3", DType.FLOAT6_E2M3FN),
          Map.entry("F6_E3M2", DType.FLOAT6_E3M2FN));

  private SafetensorsDTypes() {}
}
