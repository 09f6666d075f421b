package dev.modelseal.formats;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The formats module's shape: its packages form a DAG (the shared types in {@code formats}, the
 * readers above them, the detector finding the readers through the {@link FormatReader} service
 * list), one reader SPI entry per format, and no Java deserialization.
 */
class ArchitectureTest {
  private static final JavaClasses FORMATS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.modelseal.formats", "dev.modelseal.fingerprint");

  @Test
  void formats_packagesAreFreeOfCycles() {
    slices().matching("dev.modelseal.(**)").should().beFreeOfCycles().check(FORMATS);
  }

  @Test
  void sharedTypes_neverDependOnAReader() {
    noClasses()
        .that()
        .resideInAPackage("dev.modelseal.formats")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.modelseal.formats.*..")
        .check(FORMATS);
  }

  @Test
  void readers_areFoundThroughTheSpi() {
    classes()
        .that()
        .implement(FormatReader.class)
        .should()
        .haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
        .andShould()
        .bePublic()
        .check(FORMATS);
  }

  @Test
  void everyFormat_hasExactlyOneReader() {
    List<Format> seen = new ArrayList<>();
    for (FormatReader r : FormatDetector.readers()) {
      seen.add(r.format());
    }
    assertThat(seen).containsExactlyInAnyOrder(Format.values());
    List<Integer> order = new ArrayList<>();
    FormatDetector.readers().forEach(r -> order.add(r.precedence()));
    assertThat(order).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void formats_neverDeserializeJavaObjects() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectInputStream")
        .check(FORMATS);
  }
}
