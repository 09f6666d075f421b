package dev.modelseal.formats.pytorch;

import dev.modelseal.formats.DType;

/**
 * A storage a tensor views: its key, element dtype, and its elements {@code [base, base + numel)}
 * in the stored record of that key (base is non-zero only for legacy storage views).
 */
record StorageRef(String key, DType dtype, long base, long numel) {}
