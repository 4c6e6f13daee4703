"""The reference's client patterns (with their defects) and corrected versions, for the contract harness."""
