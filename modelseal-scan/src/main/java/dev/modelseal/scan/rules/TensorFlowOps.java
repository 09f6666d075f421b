package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.NameList;
import dev.modelseal.scan.ScanAllowlist;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.util.HashSet;
import java.util.Set;

/**
 * What a TensorFlow graph op does when the graph runs, for the SavedModel, TF.js graph-model and
 * TFLite Flex rules: Python callbacks (critical), file and network access (high), checkpoint I/O
 * that every SavedModel carries (info), ops outside TensorFlow's registry (medium: a custom op is
 * native code the application loads, and what it does cannot be told), and everything else (nothing
 * to report).
 *
 * <p>The registry is {@code tf-ops.txt}: the op names the TensorFlow Java API declares (generated
 * from TensorFlow's op registry by {@code modelseal-scan/tools/generate_tf_ops.sh}).
 */
final class TensorFlowOps {
  /** How an op is rated. */
  enum Kind {
    PYTHON,
    FILE_OR_NETWORK,
    CHECKPOINT_IO,
    UNREGISTERED,
    ORDINARY
  }

  private static final Set<String> PYTHON = Set.of("PyFunc", "PyFuncStateless", "EagerPyFunc");

  private static final Set<String> FILE_OR_NETWORK =
      Set.of(
          "ReadFile",
          "WriteFile",
          "MatchingFiles",
          "ImmutableConst",
          "CreateSummaryFileWriter",
          "CreateSummaryDbWriter",
          "WriteSummary",
          "Rpc",
          "TryRpc",
          "FixedLengthRecordReader",
          "FixedLengthRecordReaderV2",
          "TextLineReader",
          "TextLineReaderV2",
          "WholeFileReader",
          "WholeFileReaderV2",
          "TFRecordReader",
          "TFRecordReaderV2",
          "LMDBReader",
          "TFRecordDataset",
          "TextLineDataset",
          "FixedLengthRecordDataset",
          "SqlDataset",
          "DatasetToTFRecord",
          "Save",
          "SaveSlices",
          "Restore",
          "RestoreSlice",
          "LoadAndRemapMatrix",
          "InitializeTableFromTextFile",
          "InitializeTableFromTextFileV2",
          // Summary writers beyond the file writer itself: each writes to the writer's file.
          "WriteAudioSummary",
          "WriteGraphSummary",
          "WriteHistogramSummary",
          "WriteImageSummary",
          "WriteRawProtoSummary",
          "WriteScalarSummary",
          "ImportEvent",
          // Debugger ops: their debug_urls name file:// or grpc:// sinks they write to.
          "DebugIdentity",
          "DebugIdentityV2",
          "DebugIdentityV3",
          "DebugNanCount",
          "DebugNumericSummary",
          "DebugNumericSummaryV2",
          "Copy",
          "CopyHost",
          // Datasets and readers over files, databases and the tf.data service.
          "TFRecordDatasetV2",
          "FixedLengthRecordDatasetV2",
          "ExperimentalSqlDataset",
          "CSVDataset",
          "CSVDatasetV2",
          "ExperimentalCSVDataset",
          "MatchingFilesDataset",
          "ExperimentalMatchingFilesDataset",
          "LMDBDataset",
          "ExperimentalLMDBDataset",
          "SaveDataset",
          "SaveDatasetV2",
          "LoadDataset",
          "ExperimentalSaveDataset",
          "SnapshotDataset",
          "SnapshotDatasetV2",
          "SnapshotDatasetReader",
          "SnapshotChunkDataset",
          "SnapshotNestedDatasetReader",
          "CacheDataset",
          "CacheDatasetV2",
          "DataServiceDataset",
          "DataServiceDatasetV2",
          "DataServiceDatasetV3",
          "DataServiceDatasetV4",
          "RegisterDataset",
          "RegisterDatasetV2",
          "RecordInput",
          "GenerateVocabRemapping",
          "DecodeProtoV2",
          // Host-side callbacks and compilation of code carried in the graph.
          "XlaHostCompute",
          "_XlaHostComputeMlir",
          "XlaSendToHost",
          "XlaRecvFromHost",
          "_HostSend",
          "_HostRecv",
          "_Send",
          "_Recv");

  /** The ops every variables checkpoint is saved and restored with (TF 2 savers). */
  private static final Set<String> CHECKPOINT_IO =
      Set.of("SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec");

  private static final Set<String> REGISTRY = load();

  /** The ops TF.js runs: {@code @tensorflow/tfjs-converter}'s op mapper (its fused ops too). */
  private static final Set<String> TFJS = NameList.load("rules/tfjs-ops.txt");

  private TensorFlowOps() {}

  /**
   * Rates {@code op} and reports it under {@code prefix.python-op} (critical), {@code
   * prefix.file-op} (high) or {@code prefix.unregistered-op} (medium); checkpoint I/O and ordinary
   * ops are not reported here. Returns the rating, for callers that report more.
   */
  static Kind report(
      Content c, ScanContext ctx, String prefix, String op, String where, Set<String> functions) {
    return report(c, ctx, prefix, op, where, classify(op, functions), "TensorFlow's op registry");
  }

  /**
   * Rates {@code op} of a TF.js graph model like {@link #report}, with the ops TF.js itself runs
   * ({@code tfjs-ops.txt}, generated from {@code @tensorflow/tfjs-converter} by {@code
   * modelseal-scan/tools/generate_tfjs_ops.sh}) as the registry: the converter's fused ops ({@code
   * _FusedConv2D}, {@code FusedDepthwiseConv2dNative}, {@code _FusedMatMul}) are ordinary there.
   */
  static Kind reportTfjs(
      Content c, ScanContext ctx, String op, String where, Set<String> functions) {
    Kind kind = classify(op, functions);
    if (kind == Kind.UNREGISTERED || kind == Kind.ORDINARY) {
      kind = TFJS.contains(op) || functions.contains(op) ? Kind.ORDINARY : Kind.UNREGISTERED;
    }
    return report(c, ctx, "tfjs", op, where, kind, "TF.js's op set");
  }

  private static Kind report(
      Content c,
      ScanContext ctx,
      String prefix,
      String op,
      String where,
      Kind kind,
      String registry) {
    switch (kind) {
      case PYTHON ->
          ctx.finding(
              c,
              prefix + ".python-op",
              Severity.CRITICAL,
              where,
              "op " + op + " runs a Python function when the graph runs");
      case FILE_OR_NETWORK ->
          ctx.finding(
              c,
              prefix + ".file-op",
              Severity.HIGH,
              where,
              "op " + op + " reads or writes files (or the network) when the graph runs",
              ScanAllowlist.Subject.op(op));
      case UNREGISTERED ->
          ctx.finding(
              c,
              prefix + ".unregistered-op",
              Severity.MEDIUM,
              where,
              "op '"
                  + PickleScan.printable(op)
                  + "' is not in "
                  + registry
                  + ": a custom op, code the application must have registered (native or"
                  + " JavaScript) before loading; what it does cannot be told from the file",
              ScanAllowlist.Subject.op(op));
      default -> {}
    }
    return kind;
  }

  /** How {@code op} is rated; {@code functions} are the graph's own function names. */
  static Kind classify(String op, Set<String> functions) {
    if (PYTHON.contains(op)) {
      return Kind.PYTHON;
    }
    if (FILE_OR_NETWORK.contains(op)) {
      return Kind.FILE_OR_NETWORK;
    }
    if (CHECKPOINT_IO.contains(op)) {
      return Kind.CHECKPOINT_IO;
    }
    if (functions.contains(op) || registered(op)) {
      return Kind.ORDINARY;
    }
    return Kind.UNREGISTERED;
  }

  /**
   * True when {@code op} or a version of it is in the registry. The TensorFlow Java API names only
   * the newest version of some ops ({@code SelectV2}, {@code ParseExampleV2}) and not others
   * ({@code AddV2} beside {@code Add}): {@code X}, {@code XV2} ... {@code XV9} count as one op.
   */
  static boolean registered(String op) {
    if (REGISTRY.contains(op)) {
      return true;
    }
    String base = op;
    int v = op.length() - 1;
    if (v > 1 && Character.isDigit(op.charAt(v)) && op.charAt(v - 1) == 'V') {
      base = op.substring(0, v - 1);
      if (REGISTRY.contains(base)) {
        return true;
      }
    }
    for (int i = 2; i <= 9; i++) {
      if (REGISTRY.contains(base + "V" + i)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> load() {
    Set<String> ops = new HashSet<>(NameList.load("rules/tf-ops.txt"));
    ops.addAll(PYTHON);
    ops.addAll(FILE_OR_NETWORK);
    ops.addAll(CHECKPOINT_IO);
    return Set.copyOf(ops);
  }
}
