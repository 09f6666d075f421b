package dev.modelseal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
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

  /** Verified types: only the verifier of their own package makes one (Tink's VerifiedJwt). */
  private static final Class<?>[] VERIFIED = {
    dev.modelseal.pin.VerifiedModel.class,
    dev.modelseal.oms.VerifiedStatement.class,
    dev.modelseal.attest.VerifiedAttestation.class
  };

  @Test
  void verifiedTypes_areFinalWithPrivateConstructors() {
    for (Class<?> type : VERIFIED) {
      classes()
          .that()
          .belongToAnyOf(type)
          .should()
          .haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
          .check(CORE);
      constructors().that().areDeclaredIn(type).should().bePrivate().check(CORE);
    }
  }

  @Test
  void verifiedTypes_onlyMadeInsideTheirVerifiersPackage() {
    for (Class<?> type : VERIFIED) {
      // Their factories are package-private: no public or protected static method returns one.
      methods()
          .that()
          .areDeclaredIn(type)
          .and()
          .areStatic()
          .and()
          .haveRawReturnType(type)
          .should()
          .notBePublic()
          .andShould()
          .notBeProtected()
          .check(CORE);
      noClasses()
          .that()
          .resideOutsideOfPackage(type.getPackageName())
          .should()
          .callMethodWhere(
              com.tngtech.archunit.base.DescribedPredicate.describe(
                  "a static method of " + type.getSimpleName() + " returning one",
                  call ->
                      call.getTargetOwner().isEquivalentTo(type)
                          && call.getTarget().getRawReturnType().isEquivalentTo(type)))
          .check(CORE);
    }
  }
}
