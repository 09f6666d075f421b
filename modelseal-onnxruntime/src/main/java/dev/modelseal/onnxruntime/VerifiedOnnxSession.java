package dev.modelseal.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.walk.ResourceNames;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/**
 * Creates ONNX Runtime sessions from a {@link VerifiedModel} only, never from a path chosen by the
 * caller.
 *
 * <p>Guarantee: the graph comes from the verified bytes. A model without external data is handed to
 * ONNX Runtime as bytes. A model with external data is loaded from the verified model's private,
 * read-only copy, after checking that every external-data location is a file of the verified model
 * (a plain relative name: no {@code ..}, no absolute path), so every byte ONNX Runtime reads was
 * verified. An in-memory verified model with external data is refused: ONNX Runtime would resolve
 * the locations against the process's working directory.
 */
public final class VerifiedOnnxSession {
  private VerifiedOnnxSession() {}

  /**
   * A session for {@code modelFile} of {@code model} (for a single-file model, its only name).
   *
   * @throws InvalidInputException when the model is malformed or refers to data outside it
   * @throws OrtException when ONNX Runtime refuses the model
   */
  public static OrtSession create(
      OrtEnvironment env, VerifiedModel model, String modelFile, OrtSession.SessionOptions options)
      throws ModelsealException, OrtException {
    ByteBuffer bytes = model.buffer(modelFile);
    Path label = Path.of(model.modelName(), modelFile);
    Set<String> locations;
    try {
      locations = ExternalDataReferences.of(bytes);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(label, "not a valid ONNX model: " + e.getMessage());
    }
    if (locations.isEmpty()) {
      if (bytes.isDirect()) {
        return env.createSession(bytes, options);
      }
      return env.createSession(model.readAllBytes(modelFile), options);
    }
    String dir = parentOf(modelFile);
    for (String location : locations) {
      String problem = ResourceNames.check(location);
      String resolved = dir.isEmpty() ? location : dir + "/" + location;
      if (problem != null || !model.fileNames().contains(resolved)) {
        throw new InvalidInputException(
            label,
            "external data '"
                + location
                + "' is not a file of the verified model"
                + (problem != null ? " (" + problem + ")" : ""));
      }
    }
    if (model.directory().isEmpty()) {
      throw new InvalidInputException(
          label,
          "a model with external data must be verified to a private copy (open, not openInMemory)");
    }
    return env.createSession(model.file(modelFile).toString(), options);
  }

  private static String parentOf(String name) {
    int i = name.lastIndexOf('/');
    return i < 0 ? "" : name.substring(0, i);
  }
}
