package dev.weir.secrets;

/**
 * A stored variable as listings show it.
 *
 * @param value the value, or null when it is encrypted (then it is decrypted only on request)
 * @param encrypted whether the value is stored encrypted: its key looks secret
 */
public record VariableRow(String key, String value, boolean encrypted, String description) {}
