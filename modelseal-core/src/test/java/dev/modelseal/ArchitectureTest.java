package dev.modelseal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core's shape: light dependencies, no package cycles, one exception family. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.modelseal");

  @Test
  void core_dependsOnlyOnJdkJacksonAndBouncyCastle() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.modelseal..", "java..", "javax..", "com.fasterxml.jackson..", "org.bouncycastle..")
        .check(CORE);
  }

  @Test
  void core_packagesAreFreeOfCycles() {
    slices().matching("dev.modelseal.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void core_neverDeserializesJavaObjects() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectInputStream")
        .check(CORE);
  }

  @Test
  void verifiedModel_isFinalWithPrivateConstructors() {
    classes()
        .that()
        .haveSimpleName("VerifiedModel")
        .should()
        .haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
        .check(CORE);
    constructors()
        .that()
        .areDeclaredIn(dev.modelseal.pin.VerifiedModel.class)
        .should()
        .bePrivate()
        .check(CORE);
  }
}
