/**
 * The records of every resource and the store that reads and writes each one's metadata table.
 *
 * <p>They sit in one package below the services because the services of one resource use the records of others
 * (a branch create makes endpoints, roles and databases; an endpoint reads its branch and project): with records,
 * stores and services together per resource, the resource packages would import each other.
 */
package dev.xenon.control.model;
