/**
 * Dead Simple Signing Envelope (DSSE) v1: the pre-authentication encoding ({@link
 * dev.modelseal.dsse.Pae}) and the envelope ({@link dev.modelseal.dsse.Envelope}).
 *
 * <p>Guarantees: every byte format is built over {@code byte[]}, never over a decoded {@code
 * String}, so lengths are byte lengths whatever the payload holds (non-ASCII file names included).
 * The payload is kept exactly as received; nothing here re-serializes JSON. Reading is bounded and
 * tree-only ({@code StrictJson}). Nothing here verifies a signature: {@code dev.modelseal.oms}
 * does.
 */
package dev.modelseal.dsse;
