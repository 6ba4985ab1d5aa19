/* true.c - the start-up floor: a static musl program that does nothing. */
int main(void)
{
	return 0;
}
