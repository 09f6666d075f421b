/** Implementation details shared between packages; not API, may change at any time. */
package dev.modelseal.internal;
