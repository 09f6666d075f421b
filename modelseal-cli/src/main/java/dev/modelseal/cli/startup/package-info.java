/**
 * The command-line tool's start-up: everything that makes a short-lived {@code modelseal} process
 * fast, and nothing the library needs. One argv tokenizer ({@link dev.modelseal.cli.startup.Argv})
 * serves the shortcuts: the JIT warm-up of SHA-256 and the preloading of the signature classes
 * ({@link dev.modelseal.cli.startup.WarmUp}), the hash started before picocli parses the command
 * line ({@link dev.modelseal.cli.startup.EarlyHash}), the picocli-free forms of {@code hash} and
 * {@code verify} ({@link dev.modelseal.cli.startup.StartUp}) and the training run of the launcher's
 * class-data archive ({@link dev.modelseal.cli.startup.CdsTraining}).
 *
 * <p>Guarantee: none of it changes an output or an exit code, only when they arrive; any command
 * line the shortcuts do not recognise exactly goes to the full parser. The package depends on the
 * library and the JDK only; the command classes reach it, never the other way round (the commands
 * the shortcuts run are handed in as {@link dev.modelseal.cli.startup.StartUp.Commands}).
 */
package dev.modelseal.cli.startup;
