/**
 * AI-BOMs: {@link dev.modelseal.bom.ModelBom} writes a CycloneDX 1.6 JSON BOM of a model read once
 * into a verified private copy: a {@code machine-learning-model} component with every file's
 * SHA-256, the OMS root and pin, the weight digests and formats, the outcome of the signature and
 * claims checks the caller ran, the scan result, metrics as model-card performance metrics and the
 * load-time dependencies as components.
 */
package dev.modelseal.bom;
