/**
 * Renderings of a {@link dev.modelseal.scan.ScanReport}: text, JSON ({@code modelseal-scan/1}) and
 * SARIF 2.1.0, with the descriptions of the built-in rule ids.
 */
package dev.modelseal.scan.report;
