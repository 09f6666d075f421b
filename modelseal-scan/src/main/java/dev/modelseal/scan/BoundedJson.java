package dev.modelseal.scan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a user-supplied JSON file (an allowlist, a SARIF baseline) as a tree, at most a given size,
 * refusing duplicate keys; every failure is a one-line {@link InvalidInputException} naming the
 * file. It builds no objects but Jackson's tree.
 */
public final class BoundedJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private BoundedJson() {}

  /** The JSON tree of {@code file}; {@code what} names it in messages ("allowlist"). */
  public static JsonNode read(Path file, int maxBytes, String what) throws InvalidInputException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new InvalidInputException(file, what + " is larger than " + maxBytes + " bytes");
      }
      JsonNode root = MAPPER.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new InvalidInputException(file, what + " must be a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          file, what + " is not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
    } catch (IOException e) {
      throw new InvalidInputException(file, "cannot read the " + what + ": " + e.getMessage());
    }
  }
}
