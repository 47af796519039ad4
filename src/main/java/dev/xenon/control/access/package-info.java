/** Who may reach which organization, project and branch: the checks every service runs before it acts. */
package dev.xenon.control.access;
