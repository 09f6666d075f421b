/**
 * Pins and lock files, and the verified handle: {@link dev.modelseal.pin.ModelPin} checks a model
 * against a pin ({@code pin:v1:sha256:...}, which binds file names), a locked manifest, or (a named
 * relaxation) a bare OMS root digest, and returns a {@link dev.modelseal.pin.VerifiedModel}, the
 * only way to reach the verified bytes; {@link dev.modelseal.pin.ModelLock} reads and writes {@code
 * modelseal.lock}.
 */
package dev.modelseal.pin;
