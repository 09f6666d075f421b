/**
 * Signing keys in PKCS#11 tokens (hardware security modules, SoftHSM, cloud KMS PKCS#11 libraries)
 * named by RFC 7512 URIs: {@link dev.modelseal.pkcs11.Pkcs11Uri} parses the URI, {@link
 * dev.modelseal.pkcs11.Pkcs11Pin} finds the PIN (file, URI or environment), {@link
 * dev.modelseal.pkcs11.Pkcs11Key} logs in and turns the token's key into a {@link
 * dev.modelseal.keys.SigningKey} for {@link dev.modelseal.oms.OmsSigner}. Only the JDK (its PKCS#11
 * layer) and core; no native code of its own.
 */
package dev.modelseal.pkcs11;
