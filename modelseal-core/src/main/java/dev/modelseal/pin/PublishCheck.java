package dev.modelseal.pin;

import dev.modelseal.ModelsealException;

/**
 * A last check of a verified model before it is published, such as a scan for code that would run
 * on load ({@link ModelPin#publish(StagedCopy, java.nio.file.Path, boolean, PublishCheck)}).
 *
 * <p>Guarantee: the check sees exactly the bytes that will be published (the sealed, owner-only
 * staged copy, already verified); when it throws, nothing is published and the copy is deleted.
 */
@FunctionalInterface
public interface PublishCheck {
  /**
   * Throws to refuse publishing. {@code model} is valid only during the call.
   *
   * @throws ModelsealException the reason the model must not be published
   */
  void check(VerifiedModel model) throws ModelsealException;
}
