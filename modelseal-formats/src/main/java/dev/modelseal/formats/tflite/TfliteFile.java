package dev.modelseal.formats.tflite;

import dev.modelseal.formats.TensorModel;
import java.util.List;

/**
 * An opened TFLite model: its weights as a {@link TensorModel}, each weight with its stored type
 * and quantization, and the operator codes and operators for a scanner. Lists are immutable; the
 * model holds the file open until closed.
 */
public final class TfliteFile {
  private final TensorModel model;
  private final List<TfliteTensor> tensors;
  private final List<TfliteOperatorCode> operatorCodes;
  private final List<TfliteOperator> operators;

  TfliteFile(
      TensorModel model,
      List<TfliteTensor> tensors,
      List<TfliteOperatorCode> operatorCodes,
      List<TfliteOperator> operators) {
    this.model = model;
    this.tensors = List.copyOf(tensors);
    this.operatorCodes = List.copyOf(operatorCodes);
    this.operators = List.copyOf(operators);
  }

  /** The weights; close it to release the file. */
  public TensorModel model() {
    return model;
  }

  /** The weights in file order (subgraph, then tensor index), with their stored details. */
  public List<TfliteTensor> tensors() {
    return tensors;
  }

  /** The model's operator codes, in file order. */
  public List<TfliteOperatorCode> operatorCodes() {
    return operatorCodes;
  }

  /** Every operator of every subgraph. */
  public List<TfliteOperator> operators() {
    return operators;
  }
}
