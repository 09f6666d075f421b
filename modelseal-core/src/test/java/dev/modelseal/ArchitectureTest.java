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

  /**
   * No start-up tricks in the library: the SHA-256 JIT warm-up runs only when a caller asks for it
   * ({@code ModelHasher.startJitWarmUp}), and nothing in the library starts a speculative hash.
   */
  @Test
  void core_startsNoWarmUpOrSpeculationItself() {
    noClasses()
        .that()
        .doNotBelongToAnyOf(dev.modelseal.manifest.ModelHasher.class)
        .should()
        .callMethod(dev.modelseal.internal.Sha256WarmUp.class, "startInBackground")
        .check(CORE);
    // ...and inside ModelHasher only the explicit entry point starts it (hash() only waits).
    for (var method : CORE.get(dev.modelseal.manifest.ModelHasher.class).getMethods()) {
      boolean starts =
          method.getMethodCallsFromSelf().stream()
              .anyMatch(c -> c.getTarget().getName().equals("startInBackground"));
      org.assertj.core.api.Assertions.assertThat(starts)
          .as(method.getFullName())
          .isEqualTo(method.getName().equals("startJitWarmUp"));
    }
    noClasses()
        .that()
        .doNotBelongToAnyOf(dev.modelseal.oms.SpeculativeHash.class)
        .should()
        .callMethod(
            dev.modelseal.oms.SpeculativeHash.class,
            "start",
            java.nio.file.Path.class,
            java.nio.file.Path.class,
            java.util.List.class,
            dev.modelseal.manifest.HashProgress.class)
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
