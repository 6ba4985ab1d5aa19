# lib.mk - compile a third-party library's C sources (all of SRCDIR, recursively) into one
# static archive; called by the Makefile once the sources exist.
# OUT=objdir LIB=archive SRCDIR=dir CC= AR=; compiler flags in the environment: LIB_CFLAGS,
# and FAST_CFLAGS for the objects named in FAST= (relative to SRCDIR, e.g. bignum_core.o)
SRCS := $(shell find $(SRCDIR) -name '*.c' | sort)
OBJS := $(patsubst $(SRCDIR)/%.c,$(OUT)/%.o,$(SRCS))
$(LIB): $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^
$(addprefix $(OUT)/,$(FAST)): X := $(FAST_CFLAGS)
$(OUT)/%.o: $(SRCDIR)/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(LIB_CFLAGS) $(X) -w -c $< -o $@
