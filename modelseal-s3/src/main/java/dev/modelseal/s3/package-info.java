/**
 * Pulls and verifies models held in S3 or an S3-compatible store: {@link
 * dev.modelseal.s3.S3ModelSource} lists a prefix, downloads its objects in parallel (ranged GETs
 * for large ones), hashes every byte as it streams into a private staging directory, and publishes
 * the target directory by an atomic rename only when the content matches a pin, a lock entry or an
 * OMS signature.
 */
package dev.modelseal.s3;
