package dev.modelseal.scan;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The scan module's shape: its packages form a DAG (the engine in {@code scan} finds its rules
 * through the {@link FormatRule} service list), and nothing deserializes Java objects.
 */
class ArchitectureTest {
  private static final JavaClasses SCAN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.modelseal.scan");

  @Test
  void scan_packagesAreFreeOfCycles() {
    slices().matching("dev.modelseal.(**)").should().beFreeOfCycles().check(SCAN);
  }

  @Test
  void engine_neverDependsOnARule() {
    noClasses()
        .that()
        .resideInAPackage("dev.modelseal.scan")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.modelseal.scan.rules..")
        .check(SCAN);
  }

  @Test
  void scan_neverDeserializesJavaObjects() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectInputStream")
        .check(SCAN);
  }
}
