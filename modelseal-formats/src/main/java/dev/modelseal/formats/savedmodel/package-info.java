/**
 * TensorFlow SavedModels: the variables of the tensor bundle ({@code variables/variables.index}, a
 * LevelDB-format table of BundleEntryProto, and its data shards, every block and tensor CRC32C
 * checked) as a tensor model, and the node list of {@code saved_model.pb} for a scanner. Both are
 * read by hand-written, bounded readers (protobuf wire format and table format); no TensorFlow code
 * or schema file is used and nothing from the model is executed.
 */
package dev.modelseal.formats.savedmodel;
