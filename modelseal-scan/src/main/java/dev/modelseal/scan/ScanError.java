package dev.modelseal.scan;

/**
 * A file the scanner could not read at all (missing, unreadable, I/O failure). An error makes the
 * report incomplete (exit code 2) but never removes the findings already made.
 *
 * @param file the file
 * @param location where inside the file, or empty
 * @param reason one line saying what failed
 */
public record ScanError(String file, String location, String reason) {}
