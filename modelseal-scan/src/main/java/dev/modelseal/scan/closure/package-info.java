/**
 * What a model directory makes its loader run or fetch, read from its configuration files without
 * executing anything: Hugging Face {@code auto_map} classes and the Python files they name (their
 * imports listed), diffusers' custom pipeline components, {@code trust_remote_code} hints, and the
 * base models and adapters a config names ({@link dev.modelseal.scan.closure.LoadClosure}).
 */
package dev.modelseal.scan.closure;
