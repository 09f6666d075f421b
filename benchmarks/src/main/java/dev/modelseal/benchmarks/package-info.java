/** JMH benchmarks of modelseal's hashing engine against a plain JDK SHA-256 loop. */
package dev.modelseal.benchmarks;
