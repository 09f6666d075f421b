package dev.modelseal.scan;

/**
 * A file or member the scanner deliberately did not scan (text, a directory's non-model file), with
 * the reason. Skipped items are listed for review; they are not findings.
 *
 * @param file the file
 * @param location where inside the file, or empty
 * @param reason why it was not scanned
 */
public record Skipped(String file, String location, String reason) {}
