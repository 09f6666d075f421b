package dev.modelseal.formats.pickle;

import java.util.Objects;

/**
 * A global a pickle names ({@code GLOBAL}, {@code INST}, {@code STACK_GLOBAL}, or an {@code EXT}
 * code as module {@code copyreg.extension}): text only, never imported.
 *
 * @param module the module, for example {@code torch._utils}
 * @param name the qualified name in the module, for example {@code _rebuild_tensor_v2}
 */
public record PyGlobal(String module, String name) {
  /** Creates the global. */
  public PyGlobal {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(name, "name");
  }

  /** True when this is {@code module.name}. */
  public boolean is(String module, String name) {
    return this.module.equals(module) && this.name.equals(name);
  }

  /** {@code module.name}. */
  @Override
  public String toString() {
    return module + "." + name;
  }
}
