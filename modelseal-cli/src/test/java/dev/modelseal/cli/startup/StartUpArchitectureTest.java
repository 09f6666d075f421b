package dev.modelseal.cli.startup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The start-up package is below the commands: it never reaches the command classes or picocli (the
 * shortcuts must not link the parser), and the tool's packages form no cycle.
 */
class StartUpArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.modelseal.cli");

  @Test
  void startUp_dependsOnNeitherTheCommandsNorPicocli() {
    noClasses()
        .that()
        .resideInAPackage("dev.modelseal.cli.startup")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.modelseal.cli", "picocli..", "me.tongfei..")
        .check(CLI);
  }

  @Test
  void cliPackages_areFreeOfCycles() {
    slices().matching("dev.modelseal.(**)").should().beFreeOfCycles().check(CLI);
  }
}
