package dev.modelseal.scan;

import java.util.Objects;

/**
 * A global a pickle imports (through GLOBAL, INST or STACK_GLOBAL), with its rating and where it
 * was found. Immutable.
 *
 * @param file the scanned file
 * @param location where inside the file, including the opcode offset
 * @param module the module, as written in the pickle
 * @param name the attribute name, possibly dotted, as written in the pickle
 * @param rating its rating
 */
public record PickleImport(
    String file, String location, String module, String name, ImportRating rating) {
  /** Checks that no component is null. */
  public PickleImport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rating, "rating");
  }

  /** {@code module.name}. */
  public String qualifiedName() {
    return module + "." + name;
  }
}
