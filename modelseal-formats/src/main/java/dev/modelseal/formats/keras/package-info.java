/**
 * Keras readers: HDF5 {@code .h5} files as Keras 2 writes them (full models with {@code
 * model_weights/<layer>/...} and weights-only files with {@code layer_names} at the root), Keras 3
 * {@code .weights.h5} files ({@code layers/<name>/vars/<i>}) and Keras 3 {@code .keras} zips
 * ({@code config.json}, {@code metadata.json}, {@code model.weights.h5}).
 *
 * <p>HDF5 structure is parsed by the pure-Java io.jhdf library; every exception it throws is
 * wrapped into a {@link dev.modelseal.formats.FormatException} naming the file. Contiguous datasets
 * (what h5py and Keras write) are streamed by positional reads at their file address; chunked and
 * compact datasets are read into memory up to {@link
 * dev.modelseal.formats.ReadLimits#inMemoryTensorBytes()}. Nothing in a file is executed: the model
 * configuration is returned as text by {@link dev.modelseal.formats.keras.KerasModelConfig}, never
 * interpreted.
 */
package dev.modelseal.formats.keras;
