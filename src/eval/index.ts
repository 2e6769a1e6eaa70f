/** eval: see the files of this folder. */
export {};
